import { describe, expect, it, vi } from 'vitest'
import type { Page } from '@/api/types'
import { usePagination } from '@/composables/usePagination'

const ALL = Array.from({ length: 23 }, (_, i) => i + 1)
function fetchPage(limit: number, offset: number): Promise<Page<number>> {
  return Promise.resolve({ items: ALL.slice(offset, offset + limit), total: ALL.length, limit, offset })
}

describe('usePagination', () => {
  it('appends pages for "load more"', async () => {
    const pages = usePagination(fetchPage, { pageSize: 10 })
    await pages.reload()
    expect(pages.items.value).toHaveLength(10)
    expect(pages.hasMore.value).toBe(true)
    await pages.loadMore()
    await pages.loadMore()
    expect(pages.items.value).toEqual(ALL)
    expect(pages.hasMore.value).toBe(false)
    await pages.loadMore()
    expect(pages.items.value).toHaveLength(23)
  })

  it('shows one page at a time in replace mode', async () => {
    const pages = usePagination(fetchPage, { pageSize: 10, mode: 'replace' })
    await pages.goTo(3)
    expect(pages.items.value).toEqual([21, 22, 23])
    expect(pages.page.value).toBe(3)
    expect(pages.pageCount.value).toBe(3)
    await pages.goTo(99)
    expect(pages.page.value).toBe(3)
  })

  it('keeps only the newest answer when requests overlap', async () => {
    let release: (value: Page<number>) => void = () => undefined
    const slow = vi.fn(
      (limit: number, offset: number) =>
        new Promise<Page<number>>((resolve) => {
          release = resolve
          void limit
          void offset
        }),
    )
    const pages = usePagination(slow, { pageSize: 5 })
    const first = pages.reload()
    const releaseFirst = release
    const second = pages.reload()
    release({ items: [9], total: 1, limit: 5, offset: 0 })
    releaseFirst({ items: [1, 2], total: 2, limit: 5, offset: 0 })
    await Promise.all([first, second])
    expect(pages.items.value).toEqual([9])
  })

  it('patches and removes items locally', async () => {
    const pages = usePagination(fetchPage, { pageSize: 5 })
    await pages.reload()
    pages.patch((n) => n === 2, 20)
    pages.patch((n) => n === 3, null)
    expect(pages.items.value).toEqual([1, 20, 4, 5])
    expect(pages.total.value).toBe(22)
  })

  it('reports errors in words', async () => {
    const pages = usePagination(() => Promise.reject(new Error('database is down')))
    await expect(pages.reload()).rejects.toThrow()
    expect(pages.error.value).toBe('database is down')
    expect(pages.loading.value).toBe(false)
  })
})
