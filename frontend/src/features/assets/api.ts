/** The gallery (`GET /gallery`, keyset-paged) and single assets with their provenance. */
import { serverUrl } from '@/api/base'
import { api, unwrap } from '@/api/http'
import type { Asset, AssetDetail, AssetKind, AssetStatus, GalleryPage } from '@/api/types'

export interface GalleryQuery {
  project_id?: number
  character_id?: number
  scene_id?: number
  episode_id?: number
  kind?: AssetKind[]
  status?: AssetStatus[]
  since?: string
  until?: string
  cursor?: string
  limit?: number
}

export function galleryPage(query: GalleryQuery): Promise<GalleryPage> {
  return unwrap(api().GET('/api/lora/gallery', { params: { query } }))
}

export function getAsset(assetId: number): Promise<AssetDetail> {
  return unwrap(api().GET('/api/lora/assets/{asset_id}', { params: { path: { asset_id: assetId } } }))
}

export function fileUrl(asset: Pick<Asset, 'file_url'>): string {
  return serverUrl(asset.file_url)
}

export function thumbnailUrl(asset: Pick<Asset, 'thumbnail_url'>): string {
  return serverUrl(asset.thumbnail_url)
}

export const ASSET_KINDS: readonly { value: AssetKind; label: string }[] = [
  { value: 'image', label: 'Images' },
  { value: 'video', label: 'Videos' },
  { value: 'clip', label: 'Shot clips' },
  { value: 'scene', label: 'Scenes' },
  { value: 'episode', label: 'Episodes' },
  { value: 'audio', label: 'Audio' },
]

export const ASSET_STATUSES: readonly { value: AssetStatus; label: string }[] = [
  { value: 'pending', label: 'Needs review' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'ready', label: 'Ready' },
]

/** Playable in a <video> element. */
export function isVideo(asset: Pick<Asset, 'kind' | 'mime'>): boolean {
  return asset.mime.startsWith('video/') || ['video', 'clip', 'scene', 'episode'].includes(asset.kind)
}

const KIND_NAMES: Record<AssetKind, string> = { image: 'Image', video: 'Video', clip: 'Shot clip', scene: 'Scene', episode: 'Episode', audio: 'Audio' }

export function kindName(kind: AssetKind): string {
  return KIND_NAMES[kind]
}
