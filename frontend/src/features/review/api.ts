/** Review (`/api/lora/review`): versions, restore, status, comments at a timecode, retake regeneration. */
import { api, unwrap } from '@/api/http'
import type { ReviewComment, ReviewRead, ReviewStatus, ReviewSubjectType, Run } from '@/api/types'

const subjectPath = (type: ReviewSubjectType, id: number) => ({ params: { path: { subject_type: type, subject_id: id } } })
const versionPath = (versionId: number) => ({ params: { path: { version_id: versionId } } })

export function getReview(type: ReviewSubjectType, id: number): Promise<ReviewRead> {
  return unwrap(api().GET('/api/lora/review/{subject_type}/{subject_id}', subjectPath(type, id)))
}

export function setStatus(type: ReviewSubjectType, id: number, status: ReviewStatus, reason = ''): Promise<ReviewRead> {
  return unwrap(api().POST('/api/lora/review/{subject_type}/{subject_id}/status', { ...subjectPath(type, id), body: { status, reason } }))
}

export function restoreVersion(versionId: number): Promise<ReviewRead> {
  return unwrap(api().POST('/api/lora/review/versions/{version_id}/restore', versionPath(versionId)))
}

export function listComments(versionId: number): Promise<ReviewComment[]> {
  return unwrap(api().GET('/api/lora/review/versions/{version_id}/comments', versionPath(versionId)))
}

export function addComment(versionId: number, body: string, timecode: number | null, parentId: number | null = null): Promise<ReviewComment> {
  return unwrap(
    api().POST('/api/lora/review/versions/{version_id}/comments', { ...versionPath(versionId), body: { body, timecode, parent_id: parentId } }),
  )
}

export function markRead(versionId: number): Promise<void> {
  return unwrap(api().POST('/api/lora/review/versions/{version_id}/read', versionPath(versionId))).then(() => undefined)
}

export function regenerateShot(shotId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/review/shots/{shot_id}/regenerate', { params: { path: { shot_id: shotId } } }))
}
