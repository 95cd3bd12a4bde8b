/** A project's storyline and world settings. */
import { api, unwrap } from '@/api/http'
import type { Storyline, StorylineFields, WorldSettings, WorldSettingsFields } from '@/api/types'

const path = (projectId: number) => ({ params: { path: { project_id: projectId } } })

export function getStoryline(projectId: number): Promise<Storyline> {
  return unwrap(api().GET('/api/lora/projects/{project_id}/storyline', path(projectId)))
}

export function saveStoryline(projectId: number, body: StorylineFields): Promise<Storyline> {
  return unwrap(api().PUT('/api/lora/projects/{project_id}/storyline', { ...path(projectId), body }))
}

export function getWorld(projectId: number): Promise<WorldSettings> {
  return unwrap(api().GET('/api/lora/projects/{project_id}/world', path(projectId)))
}

export function saveWorld(projectId: number, body: WorldSettingsFields): Promise<WorldSettings> {
  return unwrap(api().PUT('/api/lora/projects/{project_id}/world', { ...path(projectId), body }))
}
