/**
 * The Gallery tab: filters, a keyset-paged feed for infinite scroll, approve / reject of images.
 * New work (images, clips, scenes, episodes) folds into the top of the feed as events announce it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Asset, AssetKind, AssetStatus } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import { useCursorPagination } from '@/composables/useCursorPagination'
import { judgeImages } from '@/features/datasets/api'
import { galleryPage, type GalleryQuery } from './api'

export const GALLERY_PAGE_SIZE = 40

export interface GalleryFilters {
  kind: AssetKind | ''
  status: AssetStatus | ''
  characterId: number | null
  /** Local dates, `YYYY-MM-DD` ('' = open). */
  since: string
  until: string
}

export function emptyFilters(): GalleryFilters {
  return { kind: '', status: '', characterId: null, since: '', until: '' }
}

/** A local calendar day's start (or the end of `until`'s day) as an ISO instant. */
function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const date = end ? new Date(y, m - 1, d + 1) : new Date(y, m - 1, d)
  return date.toISOString()
}

/** The `GET /gallery` query for a project and filters. */
export function galleryQuery(projectId: number, filters: GalleryFilters, cursor: string | null = null): GalleryQuery {
  const query: GalleryQuery = { project_id: projectId, limit: GALLERY_PAGE_SIZE }
  if (filters.kind) query.kind = [filters.kind]
  if (filters.status) query.status = [filters.status]
  if (filters.characterId !== null) query.character_id = filters.characterId
  const since = dayBoundary(filters.since, false)
  const until = dayBoundary(filters.until, true)
  if (since) query.since = since
  if (until) query.until = until
  if (cursor) query.cursor = cursor
  return query
}

export const useGalleryStore = defineStore('gallery', () => {
  const projectId = ref<number | null>(null)
  const filters = ref<GalleryFilters>(emptyFilters())
  const feed = useCursorPagination<Asset>((cursor) =>
    projectId.value === null ? Promise.resolve({ items: [], next_cursor: null }) : galleryPage(galleryQuery(projectId.value, filters.value, cursor)),
  )

  /** Show `id`'s gallery with `next` filters (reloads only when something changed). */
  async function show(id: number, next: GalleryFilters): Promise<void> {
    const same = id === projectId.value && JSON.stringify(next) === JSON.stringify(filters.value) && feed.loaded.value
    if (same) return
    projectId.value = id
    filters.value = { ...next }
    feed.clear()
    await feed.reload().catch(() => undefined)
  }

  async function judge(ids: number[], approved: boolean, feedback = ''): Promise<Asset[]> {
    const judged = await judgeImages(ids, approved, feedback)
    for (const asset of judged) {
      // Keep an item that no longer matches the status filter until the next reload (no jumping grid).
      feed.patch(asset.id, asset)
    }
    return judged
  }

  const refresh = debounce(() => {
    if (projectId.value !== null && feed.loaded.value) void feed.refreshHead().catch(() => undefined)
  }, 300)
  const stream = eventStream()
  stream.on('generation.completed', refresh)
  stream.on('image.approved', refresh)
  stream.on('image.rejected', refresh)
  stream.on('run.finished', (event) => {
    if (event.data.project_id === projectId.value) refresh()
  })
  stream.onReconnect(refresh)

  return { projectId, filters, feed, show, judge }
})
