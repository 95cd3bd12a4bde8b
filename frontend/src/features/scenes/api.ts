/** Scenes and shots (`/api/lora/scenes`): CRUD, reorder, music, generation, status and videos. */
import { apiUrl } from '@/api/base'
import { api, formData, unwrap } from '@/api/http'
import type { Asset, Run, Scene, SceneCreate, SceneDetail, ScenePlan, SceneStatus, SceneUpdate, Shot, ShotCreate, ShotUpdate } from '@/api/types'

const scenePath = (sceneId: number) => ({ params: { path: { scene_id: sceneId } } })
const shotPath = (sceneId: number, shotId: number) => ({ params: { path: { scene_id: sceneId, shot_id: shotId } } })

export function listScenes(projectId: number): Promise<Scene[]> {
  return unwrap(api().GET('/api/lora/scenes', { params: { query: { project_id: projectId } } }))
}

export function getScene(sceneId: number): Promise<SceneDetail> {
  return unwrap(api().GET('/api/lora/scenes/{scene_id}', scenePath(sceneId)))
}

export function createScene(body: SceneCreate): Promise<SceneDetail> {
  return unwrap(api().POST('/api/lora/scenes', { body }))
}

export function updateScene(sceneId: number, body: SceneUpdate): Promise<SceneDetail> {
  return unwrap(api().PATCH('/api/lora/scenes/{scene_id}', { ...scenePath(sceneId), body }))
}

export function deleteScene(sceneId: number): Promise<void> {
  return unwrap(api().DELETE('/api/lora/scenes/{scene_id}', scenePath(sceneId))).then(() => undefined)
}

export function addShot(sceneId: number, body: ShotCreate): Promise<Shot> {
  return unwrap(api().POST('/api/lora/scenes/{scene_id}/shots', { ...scenePath(sceneId), body }))
}

export function updateShot(sceneId: number, shotId: number, body: ShotUpdate): Promise<Shot> {
  return unwrap(api().PATCH('/api/lora/scenes/{scene_id}/shots/{shot_id}', { ...shotPath(sceneId, shotId), body }))
}

export function deleteShot(sceneId: number, shotId: number): Promise<void> {
  return unwrap(api().DELETE('/api/lora/scenes/{scene_id}/shots/{shot_id}', shotPath(sceneId, shotId))).then(() => undefined)
}

export function reorderShots(sceneId: number, shotIds: number[]): Promise<Shot[]> {
  return unwrap(api().PUT('/api/lora/scenes/{scene_id}/reorder', { ...scenePath(sceneId), body: { shot_ids: shotIds } }))
}

export function sceneStatus(sceneId: number): Promise<SceneStatus> {
  return unwrap(api().GET('/api/lora/scenes/{scene_id}/status', scenePath(sceneId)))
}

export function generateScene(sceneId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/scenes/{scene_id}/generate', scenePath(sceneId)))
}

export function regenerateShot(sceneId: number, shotId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/scenes/{scene_id}/shots/{shot_id}/regenerate', shotPath(sceneId, shotId)))
}

export function assembleScene(sceneId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/scenes/{scene_id}/assemble', scenePath(sceneId)))
}

export interface MusicSettings {
  fade_in: number
  fade_out: number
  volume: number
  start_offset: number
}

export function uploadMusic(sceneId: number, file: File, settings: MusicSettings): Promise<SceneDetail> {
  return unwrap(
    api().POST('/api/lora/scenes/{scene_id}/audio', {
      params: { path: { scene_id: sceneId }, query: settings },
      body: { file: file as unknown as string },
      bodySerializer: formData,
    }),
  )
}

export function removeMusic(sceneId: number): Promise<SceneDetail> {
  return unwrap(api().DELETE('/api/lora/scenes/{scene_id}/audio', scenePath(sceneId)))
}

export function composeMusic(sceneId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/scenes/{scene_id}/generate-music', scenePath(sceneId)))
}

/** Motion prompts by shot type (the shot editor's chips). */
export type MotionPresets = Record<string, string[]>

export function parsePresets(raw: unknown): MotionPresets {
  const presets = (raw as { presets?: unknown } | null)?.presets
  if (typeof presets !== 'object' || presets === null || Array.isArray(presets)) return {}
  return Object.fromEntries(
    Object.entries(presets as Record<string, unknown>).map(([type, list]) => [
      type,
      Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [],
    ]),
  )
}

export async function motionPresets(): Promise<MotionPresets> {
  return parsePresets(await unwrap(api().GET('/api/lora/scenes/motion-presets', {})))
}

export interface ApprovedGroup {
  characterId: number
  characterName: string
  images: Asset[]
}

/** `{characters: {id: {character_name, images}}}` → one group per character. */
export function parseApproved(raw: unknown): ApprovedGroup[] {
  const groups = (raw as { characters?: unknown } | null)?.characters
  if (typeof groups !== 'object' || groups === null) return []
  return Object.entries(groups as Record<string, { character_name?: unknown; images?: unknown }>).map(([id, group]) => ({
    characterId: Number(id),
    characterName: typeof group.character_name === 'string' ? group.character_name : `#${id}`,
    images: Array.isArray(group.images) ? (group.images as Asset[]) : [],
  }))
}

export async function approvedImages(sceneId: number): Promise<ApprovedGroup[]> {
  return parseApproved(await unwrap(api().GET('/api/lora/scenes/{scene_id}/approved-images', scenePath(sceneId))))
}

/** One shot of a planned scene (story breakdown preview). */
export interface PlannedShot {
  shot_type: string
  camera_angle: string
  description: string
  motion_prompt: string
  duration: number
  characters: string[]
  dialogue_character: string | null
  dialogue_text: string
}

export interface PlannedScene {
  title: string
  description: string
  location: string
  time_of_day: string
  weather: string
  mood: string
  shots: PlannedShot[]
}

export async function planScenes(projectId: number): Promise<PlannedScene[]> {
  const result = await unwrap(
    api().POST('/api/lora/scenes/generate-from-story', { params: { query: { project_id: projectId, create: false } } }),
  )
  return result.scenes as unknown as PlannedScene[]
}

/** Save exactly the previewed plans (one transaction on the server; the engine is not asked again). */
export async function createScenesFromPlans(projectId: number, plans: PlannedScene[]): Promise<SceneDetail[]> {
  const result = await unwrap(
    api().POST('/api/lora/scenes/generate-from-story', {
      params: { query: { project_id: projectId, create: true } },
      body: { scenes: plans as ScenePlan[] },
    }),
  )
  return result.scenes as unknown as SceneDetail[]
}

/** `?v=` changes whenever the file may have changed, so the browser does not show a stale video. */
export function sceneVideoUrl(sceneId: number, version: string | number): string {
  return apiUrl(`/api/lora/scenes/${sceneId}/video?v=${encodeURIComponent(String(version))}`)
}

export function shotVideoUrl(sceneId: number, shotId: number, version: string | number): string {
  return apiUrl(`/api/lora/scenes/${sceneId}/shots/${shotId}/video?v=${encodeURIComponent(String(version))}`)
}
