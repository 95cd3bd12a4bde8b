/**
 * Keyset ("cursor") pagination over `{items, next_cursor}` endpoints, for infinite scroll:
 * `loadMore` appends the next page until the server answers `next_cursor: null`.
 */
import { computed, ref, shallowRef, type Ref } from 'vue'
import { errorMessage } from '@/api/http'

export interface CursorPage<T> {
  items: T[]
  next_cursor: string | null
}

export function useCursorPagination<T extends { id: number }>(fetchPage: (cursor: string | null) => Promise<CursorPage<T>>) {
  const items = shallowRef<T[]>([]) as Ref<T[]>
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  let generation = 0

  /** More pages exist (unknown before the first answer). */
  const hasMore = computed(() => !loaded.value || nextCursor.value !== null)

  async function load(cursor: string | null): Promise<void> {
    const ticket = ++generation
    loading.value = true
    error.value = null
    try {
      const page = await fetchPage(cursor)
      if (ticket !== generation) return // a newer request (new filters) superseded this one
      items.value = cursor === null ? page.items : [...items.value, ...page.items.filter((item) => !has(item.id))]
      nextCursor.value = page.next_cursor
      loaded.value = true
    } catch (cause) {
      if (ticket === generation) error.value = errorMessage(cause)
      throw cause
    } finally {
      if (ticket === generation) loading.value = false
    }
  }

  function has(id: number): boolean {
    return items.value.some((item) => item.id === id)
  }

  /** Start again from the first page (new filters). */
  function reload(): Promise<void> {
    return load(null)
  }

  function loadMore(): Promise<void> {
    if (loading.value || (loaded.value && nextCursor.value === null)) return Promise.resolve()
    return load(loaded.value ? nextCursor.value : null)
  }

  /**
   * Re-read the first page and fold it in: new items go on top, known ones are updated in place,
   * pages already scrolled through stay (for live updates).
   */
  async function refreshHead(): Promise<void> {
    if (!loaded.value) return reload()
    const ticket = generation
    const page = await fetchPage(null)
    if (ticket !== generation) return
    const fresh = new Map(page.items.map((item) => [item.id, item]))
    const updated = items.value.map((item) => fresh.get(item.id) ?? item)
    const added = page.items.filter((item) => !has(item.id))
    items.value = [...added, ...updated]
  }

  /** Replace or drop one item locally (after an approve, a delete) without a round trip. */
  function patch(id: number, next: T | null): void {
    const index = items.value.findIndex((item) => item.id === id)
    if (index < 0) return
    const copy = [...items.value]
    if (next === null) copy.splice(index, 1)
    else copy[index] = next
    items.value = copy
  }

  function clear(): void {
    generation++
    items.value = []
    nextCursor.value = null
    loaded.value = false
    loading.value = false
    error.value = null
  }

  return { items, nextCursor, hasMore, loading, loaded, error, reload, loadMore, refreshHead, patch, clear }
}
