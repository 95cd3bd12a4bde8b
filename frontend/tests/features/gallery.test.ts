import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resetEventStream } from '@/composables/useEventStream'
import { useCursorPagination } from '@/composables/useCursorPagination'
import { asset } from '../support/fixtures'
import { emit } from '../support/events'

vi.mock('@/features/assets/api', async (original) => ({ ...(await original<object>()), galleryPage: vi.fn(), getAsset: vi.fn() }))
vi.mock('@/features/datasets/api', () => ({ judgeImages: vi.fn() }))
const assetsApi = await import('@/features/assets/api')
const datasetsApi = await import('@/features/datasets/api')
const { emptyFilters, galleryQuery, useGalleryStore, GALLERY_PAGE_SIZE } = await import('@/features/assets/store')

beforeEach(() => {
  setActivePinia(createPinia())
  resetEventStream()
  vi.clearAllMocks()
})
afterEach(() => vi.useRealTimers())

describe('cursor pagination', () => {
  it('appends pages and stops at next_cursor: null', async () => {
    const pages: Record<string, { items: ReturnType<typeof asset>[]; next_cursor: string | null }> = {
      first: { items: [asset(9), asset(8)], next_cursor: 'c1' },
      c1: { items: [asset(7), asset(6)], next_cursor: 'c2' },
      c2: { items: [asset(5)], next_cursor: null },
    }
    const fetchPage = vi.fn(async (cursor: string | null) => pages[cursor ?? 'first']!)
    const feed = useCursorPagination(fetchPage)
    expect(feed.hasMore.value).toBe(true)
    await feed.loadMore()
    await feed.loadMore()
    expect(feed.items.value.map((a) => a.id)).toEqual([9, 8, 7, 6])
    await feed.loadMore()
    expect(feed.items.value.map((a) => a.id)).toEqual([9, 8, 7, 6, 5])
    expect(feed.hasMore.value).toBe(false)
    await feed.loadMore()
    await feed.loadMore()
    expect(fetchPage.mock.calls.map(([cursor]) => cursor)).toEqual([null, 'c1', 'c2'])
  })

  it('drops an answer that a newer request superseded', async () => {
    let release: (value: { items: ReturnType<typeof asset>[]; next_cursor: null }) => void = () => undefined
    const slow = new Promise<{ items: ReturnType<typeof asset>[]; next_cursor: null }>((resolve) => (release = resolve))
    const fetchPage = vi.fn().mockReturnValueOnce(slow).mockResolvedValueOnce({ items: [asset(2)], next_cursor: null })
    const feed = useCursorPagination(fetchPage)
    const first = feed.reload()
    await feed.reload()
    release({ items: [asset(1)], next_cursor: null })
    await first
    expect(feed.items.value.map((a) => a.id)).toEqual([2])
  })

  it('folds a fresh first page into what is loaded (live updates)', async () => {
    const fetchPage = vi
      .fn()
      .mockResolvedValueOnce({ items: [asset(3), asset(2)], next_cursor: 'c' })
      .mockResolvedValueOnce({ items: [asset(1)], next_cursor: null })
      .mockResolvedValueOnce({ items: [asset(4), asset(3, { status: 'approved' })], next_cursor: 'c' })
    const feed = useCursorPagination<ReturnType<typeof asset>>(fetchPage)
    await feed.reload()
    await feed.loadMore()
    await feed.refreshHead()
    expect(feed.items.value.map((a) => [a.id, a.status])).toEqual([
      [4, 'pending'],
      [3, 'approved'],
      [2, 'pending'],
      [1, 'pending'],
    ])
    expect(feed.nextCursor.value).toBeNull() // scrolling position is kept
  })
})

describe('gallery store', () => {
  it('asks for the filters given, a page at a time', async () => {
    vi.mocked(assetsApi.galleryPage).mockResolvedValue({ items: [asset(1)], next_cursor: 'next' })
    const gallery = useGalleryStore()
    await gallery.show(4, { ...emptyFilters(), kind: 'clip', status: 'ready', characterId: 2 })
    expect(assetsApi.galleryPage).toHaveBeenCalledWith({ project_id: 4, limit: GALLERY_PAGE_SIZE, kind: ['clip'], status: ['ready'], character_id: 2 })
    await gallery.feed.loadMore()
    expect(vi.mocked(assetsApi.galleryPage).mock.calls[1]?.[0]).toMatchObject({ cursor: 'next' })
    // The same filters again do not reload.
    await gallery.show(4, { ...emptyFilters(), kind: 'clip', status: 'ready', characterId: 2 })
    expect(assetsApi.galleryPage).toHaveBeenCalledTimes(2)
  })

  it('turns a date range into whole local days', () => {
    const query = galleryQuery(1, { ...emptyFilters(), since: '2026-03-01', until: '2026-03-02' })
    expect(query.since).toBe(new Date(2026, 2, 1).toISOString())
    expect(query.until).toBe(new Date(2026, 2, 3).toISOString())
    expect(galleryQuery(1, { ...emptyFilters(), since: 'garbage' }).since).toBeUndefined()
  })

  it('approves in place and folds new work in when events arrive', async () => {
    vi.useFakeTimers()
    vi.mocked(assetsApi.galleryPage).mockResolvedValueOnce({ items: [asset(2), asset(1)], next_cursor: null })
    const gallery = useGalleryStore()
    await gallery.show(1, emptyFilters())
    vi.mocked(datasetsApi.judgeImages).mockResolvedValue([asset(1, { status: 'approved' })])
    await gallery.judge([1], true)
    expect(datasetsApi.judgeImages).toHaveBeenCalledWith([1], true, '')
    expect(gallery.feed.items.map((a) => a.status)).toEqual(['pending', 'approved'])

    vi.mocked(assetsApi.galleryPage).mockResolvedValueOnce({ items: [asset(3), asset(2)], next_cursor: null })
    emit('generation.completed', { asset_id: 3, character_id: 1 })
    await vi.advanceTimersByTimeAsync(400)
    expect(gallery.feed.items.map((a) => a.id)).toEqual([3, 2, 1])
  })
})
