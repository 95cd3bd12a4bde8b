/**
 * The Approve tab: one character's dataset (filtered), the focused image, a multi-selection, the
 * undo history of decisions, and the ingestion run. Refreshes on `image.*` and `run.finished` events.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { DatasetImage, DatasetView, Run } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import { useJobsStore } from '@/features/jobs/store'
import { type DatasetFilters, type ReviewStatus, datasetView, ingestImages, ingestLink, ingestVideo, reviewImages, saveCaption, triagePending } from './review'
import { type Decision, pushDecision, undoRequests } from './undo'

export const useApproveStore = defineStore('approve', () => {
  const jobs = useJobsStore()
  const characterId = ref<number | null>(null)
  const view = ref<DatasetView | null>(null)
  const filters = ref<DatasetFilters>({})
  const focus = ref(0)
  const selected = ref<Set<number>>(new Set())
  const history = ref<Decision[]>([])
  const runId = ref<number | null>(null)
  const loading = ref(false)

  const items = computed(() => view.value?.items ?? [])
  const current = computed<DatasetImage | null>(() => items.value[focus.value] ?? null)
  const run = computed(() => (runId.value === null ? null : (jobs.runs[String(runId.value)] ?? null)))

  async function load(id: number, keepFocus = false): Promise<void> {
    if (id !== characterId.value) {
      characterId.value = id
      history.value = []
      selected.value = new Set()
      runId.value = null
      view.value = null
    }
    loading.value = true
    try {
      const focusedId = current.value?.id
      view.value = await datasetView(id, filters.value)
      const again = keepFocus && focusedId !== undefined ? items.value.findIndex((i) => i.id === focusedId) : -1
      focus.value = again >= 0 ? again : Math.min(focus.value, Math.max(0, items.value.length - 1))
    } finally {
      loading.value = false
    }
  }

  function move(step: number): void {
    if (!items.value.length) return
    focus.value = Math.min(items.value.length - 1, Math.max(0, focus.value + step))
  }

  function toggle(id: number): void {
    const next = new Set(selected.value)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    selected.value = next
  }

  /** The selection, or the focused image when nothing is selected. */
  function targets(): DatasetImage[] {
    if (selected.value.size) return items.value.filter((i) => selected.value.has(i.id))
    return current.value ? [current.value] : []
  }

  function patch(updated: DatasetImage[]): void {
    if (!view.value) return
    const byId = new Map(updated.map((i) => [i.id, i]))
    view.value = { ...view.value, items: view.value.items.map((i) => byId.get(i.id) ?? i) }
  }

  /** Keys pressed faster than the server answers apply in order, each to the image focused by then. */
  let queue: Promise<unknown> = Promise.resolve()
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work)
    queue = next.catch(() => undefined)
    return next
  }

  function decide(status: ReviewStatus, reason = ''): Promise<void> {
    return serial(() => apply(status, reason))
  }

  async function apply(status: ReviewStatus, reason: string): Promise<void> {
    const chosen = targets()
    if (!chosen.length || characterId.value === null) return
    const previous = Object.fromEntries(chosen.map((i) => [i.id, i.status as ReviewStatus]))
    const ids = chosen.map((i) => i.id)
    patch(await reviewImages(characterId.value, { asset_ids: ids, status, reason }))
    history.value = pushDecision(history.value, { ids, status, previous })
    selected.value = new Set()
    if (ids.length === 1) move(1)
    void refreshCounts()
  }

  function undo(): Promise<Decision | null> {
    return serial(revert)
  }

  async function revert(): Promise<Decision | null> {
    const last = history.value[history.value.length - 1]
    if (!last || characterId.value === null) return null
    for (const request of undoRequests(last)) {
      patch(await reviewImages(characterId.value, { asset_ids: request.ids, status: request.status, reason: 'undo' }))
    }
    history.value = history.value.slice(0, -1)
    const index = items.value.findIndex((i) => i.id === last.ids[0])
    if (index >= 0) focus.value = index
    void refreshCounts()
    return last
  }

  async function caption(id: number, text: string): Promise<void> {
    patch([await saveCaption(id, text)])
  }

  async function refreshCounts(): Promise<void> {
    if (characterId.value === null || !view.value) return
    const fresh = await datasetView(characterId.value, { ...filters.value })
    if (view.value) view.value = { ...view.value, counts: fresh.counts }
  }

  function started(started: Run): Run {
    jobs.merge(started)
    runId.value = started.id
    return started
  }

  async function ingest(kind: 'images' | 'video' | 'link', input: File[] | string, every = 2): Promise<Run> {
    if (characterId.value === null) throw new Error('Pick a character first.')
    const id = characterId.value
    if (kind === 'images') return started(await ingestImages(id, input as File[]))
    if (kind === 'video') return started(await ingestVideo(id, (input as File[])[0] as File, every))
    return started(await ingestLink(id, input as string, every))
  }

  /** Review every pending image again (after changing the quality gates or the vision engine). */
  async function retriage(): Promise<Run> {
    if (characterId.value === null) throw new Error('Pick a character first.')
    return started(await triagePending(characterId.value))
  }

  const refresh = debounce(() => {
    if (characterId.value !== null) void load(characterId.value, true).catch(() => undefined)
  }, 250)
  const mine = (id: number | null | undefined) => id !== null && id !== undefined && id === characterId.value
  const stream = eventStream()
  stream.on('run.finished', (event) => event.data.subject_type === 'character' && mine(event.data.subject_id) && refresh())
  stream.on('run.progress', (event) => event.data.run_id === runId.value && refresh())
  stream.onReconnect(refresh)

  return {
    characterId, view, filters, focus, selected, history, runId, run, loading, items, current,
    load, move, toggle, decide, undo, caption, ingest, retriage,
  }
})
