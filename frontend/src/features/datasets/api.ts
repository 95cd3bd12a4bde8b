/** Dataset images: a person's approve / reject decision, and a character's IP-Adapter reference images. */
import { apiUrl } from '@/api/base'
import { api, formData, unwrap } from '@/api/http'
import type { Asset, ReferenceImages } from '@/api/types'

export function judgeImages(assetIds: number[], approved: boolean, feedback = ''): Promise<Asset[]> {
  return unwrap(api().POST('/api/lora/approval/approve', { body: { asset_ids: assetIds, approved, feedback } }))
}

export function listReferences(characterId: number): Promise<ReferenceImages> {
  return unwrap(
    api().GET('/api/lora/characters/{character_id}/reference-images', { params: { path: { character_id: characterId } } }),
  )
}

export function uploadReference(characterId: number, file: File): Promise<ReferenceImages> {
  return unwrap(
    api().POST('/api/lora/characters/{character_id}/reference-images', {
      params: { path: { character_id: characterId } },
      body: { file: file as unknown as string },
      bodySerializer: formData,
    }),
  )
}

export function deleteReference(characterId: number, name: string): Promise<void> {
  return unwrap(
    api().DELETE('/api/lora/characters/{character_id}/reference-images/{name}', {
      params: { path: { character_id: characterId, name } },
    }),
  ).then(() => undefined)
}

export function referenceUrl(characterId: number, name: string): string {
  return apiUrl(`/api/lora/characters/${characterId}/reference-images/${encodeURIComponent(name)}`)
}
