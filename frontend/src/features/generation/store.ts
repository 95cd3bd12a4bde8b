/**
 * The Generate tab: one character's latest images (or videos) as they land, the run making them,
 * and a person's approve / reject decisions. Results refresh on `generation.completed`,
 * `image.*` and `run.*` events, never by polling.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Asset, GenerateRequest, Run } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import { useCursorPagination } from '@/composables/useCursorPagination'
import { galleryPage } from '@/features/assets/api'
import { judgeImages } from '@/features/datasets/api'
import { useJobsStore } from '@/features/jobs/store'
import { generate } from './api'

export type GenerateKind = 'image' | 'video'
export const RESULTS_PAGE_SIZE = 24

export const useGenerationStore = defineStore('generation', () => {
  const jobs = useJobsStore()
  const characterId = ref<number | null>(null)
  const projectId = ref<number | null>(null)
  const kind = ref<GenerateKind>('image')
  const selected = ref<Set<number>>(new Set())
  const runId = ref<number | null>(null)

  const results = useCursorPagination<Asset>((cursor) =>
    characterId.value === null || projectId.value === null
      ? Promise.resolve({ items: [], next_cursor: null })
      : galleryPage({
          project_id: projectId.value,
          character_id: characterId.value,
          kind: [kind.value],
          limit: RESULTS_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
  )
  /** Images of the character that can be animated (the video source picker). */
  const sources = useCursorPagination<Asset>((cursor) =>
    characterId.value === null || projectId.value === null
      ? Promise.resolve({ items: [], next_cursor: null })
      : galleryPage({
          project_id: projectId.value,
          character_id: characterId.value,
          kind: ['image'],
          status: ['approved', 'pending'],
          limit: 48,
          ...(cursor ? { cursor } : {}),
        }),
  )

  const run = computed(() => (runId.value === null ? null : (jobs.runs[String(runId.value)] ?? null)))
  const running = computed(() => run.value?.status === 'queued' || run.value?.status === 'running')
  const pending = computed(() => results.items.value.filter((a) => a.status === 'pending'))
  const selectedIds = computed(() => [...selected.value])

  /** Show `id`'s results of `nextKind` (a new character or kind starts from the first page). */
  async function show(project: number, id: number, nextKind: GenerateKind = kind.value): Promise<void> {
    const changed = id !== characterId.value || nextKind !== kind.value || project !== projectId.value
    if (id !== characterId.value) runId.value = null
    projectId.value = project
    characterId.value = id
    kind.value = nextKind
    if (!changed && results.loaded.value) return
    selected.value = new Set()
    results.clear()
    sources.clear()
    await Promise.all([results.reload().catch(() => undefined), nextKind === 'video' ? sources.reload().catch(() => undefined) : undefined])
  }

  async function start(body: GenerateRequest): Promise<Run> {
    if (characterId.value === null) throw new Error('Pick a character first.')
    const started = await generate(characterId.value, body)
    jobs.merge(started)
    runId.value = started.id
    return started
  }

  function toggle(id: number): void {
    const next = new Set(selected.value)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    selected.value = next
  }

  function clearSelection(): void {
    selected.value = new Set()
  }

  async function judge(ids: number[], approved: boolean, feedback = ''): Promise<Asset[]> {
    if (!ids.length) return []
    const judged = await judgeImages(ids, approved, feedback)
    for (const asset of judged) results.patch(asset.id, asset)
    const remaining = new Set(selected.value)
    for (const id of ids) remaining.delete(id)
    selected.value = remaining
    return judged
  }

  const refresh = debounce(() => {
    if (characterId.value === null) return
    void results.refreshHead().catch(() => undefined)
    if (kind.value === 'video') void sources.refreshHead().catch(() => undefined)
  }, 200)
  const mine = (id: number | null | undefined) => id !== null && id !== undefined && id === characterId.value

  const stream = eventStream()
  stream.on('generation.completed', (event) => mine(event.data.character_id) && refresh())
  stream.on('image.approved', (event) => mine(event.data.character_id) && refresh())
  stream.on('image.rejected', (event) => mine(event.data.character_id) && refresh())
  stream.on('run.finished', (event) => event.data.subject_type === 'character' && mine(event.data.subject_id) && refresh())
  stream.onReconnect(refresh)

  return {
    characterId, projectId, kind, selected, selectedIds, runId, results, sources, run, running, pending,
    show, start, toggle, clearSelection, judge,
  }
})
