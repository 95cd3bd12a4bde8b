/** The path from an empty project to a published episode, and how far a project is along it. */
import type { RouteLocationRaw } from 'vue-router'

export interface ProjectProgress {
  projectId: number
  hasStory: boolean
  characters: number
  approvedImages: number
  scenes: number
  assembledEpisodes: number
  publishedEpisodes: number
}

export interface Step {
  key: string
  title: string
  hint: string
  done: boolean
  to: RouteLocationRaw
}

export function gettingStartedSteps(p: ProjectProgress): Step[] {
  const params = { projectId: String(p.projectId) }
  return [
    { key: 'story', title: 'Tell the story', hint: 'A premise, a summary or a screenplay on Story & World.', done: p.hasStory, to: { name: 'story', params } },
    { key: 'characters', title: 'Add characters', hint: 'Each with a design prompt; mark creatures as not human.', done: p.characters > 0, to: { name: 'characters', params } },
    { key: 'images', title: 'Generate and approve images', hint: 'Approved images become the first frames of shots.', done: p.approvedImages > 0, to: { name: 'generate', params } },
    { key: 'scenes', title: 'Build a scene', hint: 'Generate scenes from the story, or add shots with dialogue yourself.', done: p.scenes > 0, to: { name: 'scenes', params } },
    { key: 'episode', title: 'Assemble an episode', hint: 'Put scenes in order and join them into one video.', done: p.assembledEpisodes > 0, to: { name: 'episodes', params } },
    { key: 'publish', title: 'Publish it', hint: 'Into your media library, ready for Jellyfin or Kodi.', done: p.publishedEpisodes > 0, to: { name: 'episodes', params } },
  ]
}
