/** Episodes (`/api/lora/episodes`): CRUD, scenes and their order, assembly, publishing and exports. */
import { apiUrl } from '@/api/base'
import { api, unwrap } from '@/api/http'
import type { Episode, EpisodeCreate, EpisodeDetail, EpisodeUpdate, Run } from '@/api/types'

const episodePath = (episodeId: number) => ({ params: { path: { episode_id: episodeId } } })

export function listEpisodes(projectId: number): Promise<Episode[]> {
  return unwrap(api().GET('/api/lora/episodes', { params: { query: { project_id: projectId } } }))
}

export function getEpisode(episodeId: number): Promise<EpisodeDetail> {
  return unwrap(api().GET('/api/lora/episodes/{episode_id}', episodePath(episodeId)))
}

export function createEpisode(body: EpisodeCreate): Promise<EpisodeDetail> {
  return unwrap(api().POST('/api/lora/episodes', { body }))
}

export function updateEpisode(episodeId: number, body: EpisodeUpdate): Promise<EpisodeDetail> {
  return unwrap(api().PATCH('/api/lora/episodes/{episode_id}', { ...episodePath(episodeId), body }))
}

export function deleteEpisode(episodeId: number): Promise<void> {
  return unwrap(api().DELETE('/api/lora/episodes/{episode_id}', episodePath(episodeId))).then(() => undefined)
}

export function addScene(episodeId: number, sceneId: number, position?: number): Promise<EpisodeDetail> {
  return unwrap(
    api().POST('/api/lora/episodes/{episode_id}/scenes', { ...episodePath(episodeId), body: { scene_id: sceneId, position: position ?? null } }),
  )
}

export function removeScene(episodeId: number, sceneId: number): Promise<EpisodeDetail> {
  return unwrap(
    api().DELETE('/api/lora/episodes/{episode_id}/scenes/{scene_id}', { params: { path: { episode_id: episodeId, scene_id: sceneId } } }),
  )
}

export function reorderScenes(episodeId: number, sceneOrder: number[]): Promise<EpisodeDetail> {
  return unwrap(api().PUT('/api/lora/episodes/{episode_id}/reorder', { ...episodePath(episodeId), body: { scene_order: sceneOrder } }))
}

export function assembleEpisode(episodeId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/episodes/{episode_id}/assemble', episodePath(episodeId)))
}

export function publishEpisode(episodeId: number, season: number): Promise<Run> {
  return unwrap(
    api().POST('/api/lora/episodes/{episode_id}/publish', { params: { path: { episode_id: episodeId }, query: { season } } }),
  )
}

/** Files of an assembled episode; `version` changes with every assembly so caches never serve an old cut. */
export function episodeFileUrl(episodeId: number, file: 'video' | 'thumbnail' | 'subtitles.srt' | 'subtitles.vtt' | 'timeline.otio', version?: string): string {
  const suffix = version ? `?v=${encodeURIComponent(version)}` : ''
  return apiUrl(`/api/lora/episodes/${episodeId}/${file}${suffix}`)
}
