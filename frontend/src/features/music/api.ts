/** The music library: composed, uploaded and Apple Music tracks; Apple Music search; assigning a track to a scene. */
import { serverUrl } from '@/api/base'
import { api, formData, unwrap } from '@/api/http'
import type { components } from '@/api/schema'

export type Track = components['schemas']['TrackRead']
export type TrackSource = Track['source']
export type AppleSong = components['schemas']['AppleSongRead']
export type TrackPage = components['schemas']['Page_TrackRead_']

export function browseTracks(query: { source?: TrackSource; q?: string; limit?: number; offset?: number }): Promise<TrackPage> {
  return unwrap(api().GET('/api/lora/music/tracks', { params: { query } }))
}

export function uploadTrack(file: File): Promise<Track> {
  return unwrap(api().POST('/api/lora/music/tracks', { body: { file: file as unknown as string }, bodySerializer: formData }))
}

export function searchApple(term: string): Promise<AppleSong[]> {
  return unwrap(api().GET('/api/lora/music/apple/search', { params: { query: { term, limit: 12 } } }))
}

export function addApple(trackId: number): Promise<Track> {
  return unwrap(api().POST('/api/lora/music/apple', { body: { track_id: trackId } }))
}

export function assignTrack(trackId: number, sceneId: number, volume = 0.3): Promise<unknown> {
  return unwrap(
    api().POST('/api/lora/music/tracks/{track_id}/assign', {
      params: { path: { track_id: trackId } },
      body: { scene_id: sceneId, volume, fade_in: 1, fade_out: 2, start_offset: 0 },
    }),
  )
}

export function trackUrl(track: Pick<Track, 'file_url'>): string {
  return serverUrl(track.file_url)
}

/** "Gurenge" by LiSA, from LEO-NiNE (Apple Music): the attribution a track carries, or '' for our own. */
export function attribution(track: Pick<Track, 'credits'>): string {
  const credits = track.credits as Record<string, unknown>
  if (typeof credits.track !== 'string' || typeof credits.artist !== 'string') return ''
  const album = typeof credits.album === 'string' && credits.album ? `, from ${credits.album}` : ''
  return `“${credits.track}” by ${credits.artist}${album} (preview courtesy of Apple Music)`
}
