/** Dataset review API: ingestion runs, the filtered dataset view, decisions, captions, promotion, export. */
import { apiUrl } from '@/api/base'
import { api, unwrap } from '@/api/http'
import type { DatasetExport, DatasetImage, DatasetSettings, DatasetView, ReviewDecision, Run } from '@/api/types'

export type ReviewStatus = ReviewDecision['status']

export interface DatasetFilters {
  status?: ('pending' | 'approved' | 'rejected')[]
  source?: 'upload' | 'video' | 'url' | 'generated'
  min_score?: number
  max_score?: number
  failed_check?: string
}

export function datasetView(characterId: number, filters: DatasetFilters = {}): Promise<DatasetView> {
  return unwrap(
    api().GET('/api/lora/datasets/{character_id}', { params: { path: { character_id: characterId }, query: filters } }),
  )
}

export function reviewImages(characterId: number, body: ReviewDecision): Promise<DatasetImage[]> {
  return unwrap(api().POST('/api/lora/datasets/{character_id}/review', { params: { path: { character_id: characterId } }, body }))
}

export function saveCaption(assetId: number, caption: string): Promise<DatasetImage> {
  return unwrap(api().PUT('/api/lora/dataset-images/{asset_id}/caption', { params: { path: { asset_id: assetId } }, body: { caption } }))
}

export function promoteImage(assetId: number): Promise<{ [key: string]: string }> {
  return unwrap(api().POST('/api/lora/dataset-images/{asset_id}/promote', { params: { path: { asset_id: assetId } } }))
}

export function saveSettings(characterId: number, body: DatasetSettings): Promise<DatasetSettings> {
  return unwrap(api().PUT('/api/lora/datasets/{character_id}/settings', { params: { path: { character_id: characterId } }, body }))
}

/** Multipart bodies with repeated fields (`files` many times), which the generic serializer does not do. */
function multipart(fields: Record<string, string | Blob | Blob[]>): FormData {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, item)
  }
  return form
}

export function ingestImages(characterId: number, files: File[]): Promise<Run> {
  return unwrap(
    api().POST('/api/lora/datasets/{character_id}/ingest/images', {
      params: { path: { character_id: characterId } },
      body: { files: files as unknown as string[] },
      bodySerializer: () => multipart({ files }),
    }),
  )
}

export function ingestVideo(characterId: number, file: File, every: number): Promise<Run> {
  return unwrap(
    api().POST('/api/lora/datasets/{character_id}/ingest/video', {
      params: { path: { character_id: characterId } },
      body: { file: file as unknown as string, every },
      bodySerializer: () => multipart({ file, every: String(every) }),
    }),
  )
}

export function ingestLink(characterId: number, url: string, every: number): Promise<Run> {
  return unwrap(
    api().POST('/api/lora/datasets/{character_id}/ingest/url', { params: { path: { character_id: characterId } }, body: { url, every } }),
  )
}

export function exportZipUrl(characterId: number): string {
  return apiUrl(`/api/lora/datasets/${characterId}/export.zip`)
}

export function exportFolder(characterId: number): Promise<DatasetExport> {
  return unwrap(api().POST('/api/lora/datasets/{character_id}/export', { params: { path: { character_id: characterId } } }))
}

export function triagePending(characterId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/datasets/{character_id}/triage', { params: { path: { character_id: characterId } } }))
}
