/** Offset pagination over `{items, total, limit, offset}` endpoints, as pages or as "load more". */
import { computed, ref, shallowRef, type Ref } from 'vue'
import type { Page } from '@/api/types'
import { errorMessage } from '@/api/http'

export interface PaginationOptions {
  pageSize?: number
  /** `append` keeps earlier pages (a "Load more" list); `replace` shows one page at a time. */
  mode?: 'append' | 'replace'
}

export function usePagination<T>(
  fetchPage: (limit: number, offset: number) => Promise<Page<T>>,
  options: PaginationOptions = {},
) {
  const pageSize = options.pageSize ?? 50
  const mode = options.mode ?? 'append'
  const items = shallowRef<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const offset = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  let generation = 0

  const page = computed(() => Math.floor(offset.value / pageSize) + 1)
  const pageCount = computed(() => Math.max(1, Math.ceil(total.value / pageSize)))
  const hasMore = computed(() =>
    mode === 'append' ? items.value.length < total.value : page.value < pageCount.value,
  )

  async function load(nextOffset: number, append: boolean): Promise<void> {
    const ticket = ++generation
    loading.value = true
    error.value = null
    try {
      const result = await fetchPage(pageSize, nextOffset)
      if (ticket !== generation) return // a newer request superseded this one
      items.value = append ? [...items.value, ...result.items] : result.items
      total.value = result.total
      offset.value = nextOffset
      loaded.value = true
    } catch (cause) {
      if (ticket === generation) error.value = errorMessage(cause)
      throw cause
    } finally {
      if (ticket === generation) loading.value = false
    }
  }

  /** Load the first page again (after a change elsewhere). */
  function reload(): Promise<void> {
    return load(0, false)
  }

  function loadMore(): Promise<void> {
    if (!hasMore.value || loading.value) return Promise.resolve()
    return mode === 'append' ? load(items.value.length, true) : load(offset.value + pageSize, false)
  }

  function goTo(target: number): Promise<void> {
    // Before the first answer the page count is unknown, so only clamp from below.
    const upper = loaded.value ? pageCount.value : Number.POSITIVE_INFINITY
    const clamped = Math.min(Math.max(1, Math.floor(target)), upper)
    return load((clamped - 1) * pageSize, false)
  }

  /** Replace or drop one item locally (after an edit) without a round trip. */
  function patch(predicate: (item: T) => boolean, next: T | null): void {
    const index = items.value.findIndex(predicate)
    if (index < 0) return
    const copy = [...items.value]
    if (next === null) {
      copy.splice(index, 1)
      total.value = Math.max(0, total.value - 1)
    } else copy[index] = next
    items.value = copy
  }

  function clear(): void {
    generation++
    items.value = []
    total.value = 0
    offset.value = 0
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return { items, total, page, pageCount, hasMore, loading, loaded, error, reload, loadMore, goTo, patch, clear, pageSize }
}
