import { describe, expect, it } from 'vitest'
import { gettingStartedSteps } from '@/features/projects/gettingStarted'

const empty = { projectId: 4, hasStory: false, characters: 0, approvedImages: 0, scenes: 0, assembledEpisodes: 0, publishedEpisodes: 0 }

describe('getting started', () => {
  it('walks from the story to a published episode', () => {
    const steps = gettingStartedSteps(empty)
    expect(steps.map((s) => s.key)).toEqual(['story', 'characters', 'images', 'scenes', 'episode', 'publish'])
    expect(steps.every((s) => !s.done)).toBe(true)
    expect(steps[2]!.to).toEqual({ name: 'generate', params: { projectId: '4' } })
  })

  it('ticks off what the project already has', () => {
    const steps = gettingStartedSteps({ ...empty, hasStory: true, characters: 2, approvedImages: 1, scenes: 1, assembledEpisodes: 1 })
    expect(steps.filter((s) => s.done).map((s) => s.key)).toEqual(['story', 'characters', 'images', 'scenes', 'episode'])
  })
})
