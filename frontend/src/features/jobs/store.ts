/**
 * Live runs: loaded once from `GET /jobs` (queued and running), then kept current by `run.*`
 * events; no polling. Finished runs linger briefly so people see them end; failed ones stay
 * (with Retry) until dismissed; both then move to the history (finished runs, newest first, also
 * read from `GET /jobs` so it survives a reload). Cancel and retry go through the API.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Run } from '@/api/types'
import { useToasts } from '@/components/toast'
import { eventStream } from '@/composables/useEventStream'
import * as jobsApi from './api'
import type { RunEventData, RunStatus, StudioEvent, StudioEventName } from './events'

export interface RunState {
  id: string
  kind: string
  subject: string
  subjectType: string | null
  subjectId: number | null
  status: RunStatus
  /** 0–1, or null while unknown (an indeterminate bar). */
  progress: number | null
  message: string
  error: string
  projectId: number | null
  updatedAt: number
}

/** How long a finished (not failed) run stays in the tray so people see it complete. */
export const FINISHED_LINGER_MS = 6000
/** How many finished runs the history keeps. */
export const HISTORY_SIZE = 20

const STATUS_BY_EVENT: Partial<Record<StudioEventName, RunStatus>> = {
  'run.queued': 'queued',
  'run.started': 'running',
  'run.progress': 'running',
}

/** What people call the studio's run kinds. */
const KIND_LABELS: Record<string, string> = {
  'generate.images': 'Image generation',
  'generate.video': 'Video generation',
  'scene.generate': 'Scene generation',
  'scene.shot': 'Shot regeneration',
  'scene.assemble': 'Scene assembly',
  'scene.music': 'Music composition',
  'episode.assemble': 'Episode assembly',
  'episode.publish': 'Publishing',
}

export function isFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled'
}

export function canRetry(status: RunStatus): boolean {
  return status === 'failed' || status === 'cancelled'
}

/** "Image generation" for `generate.images`; other kinds from their words ("image_generation"). */
export function humanKind(kind: string): string {
  const known = KIND_LABELS[kind]
  if (known) return known
  const words = kind.replace(/[._-]+/g, ' ').trim()
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Job'
}

/** Merge one event into the previous state of its run (events may arrive out of order or partial). */
export function applyRunEvent(previous: RunState | undefined, event: StudioEvent): RunState {
  const data = event.data as RunEventData
  const finished = event.name === 'run.finished'
  const status: RunStatus = finished
    ? data.status && isFinished(data.status)
      ? data.status
      : data.error
        ? 'failed'
        : 'succeeded'
    : (data.status ?? STATUS_BY_EVENT[event.name] ?? previous?.status ?? 'queued')
  const progress =
    typeof data.progress === 'number' && Number.isFinite(data.progress)
      ? Math.min(1, Math.max(0, data.progress))
      : status === 'succeeded'
        ? 1
        : (previous?.progress ?? null)
  return {
    id: String(data.run_id),
    kind: data.kind ?? previous?.kind ?? 'job',
    subject: data.subject ?? previous?.subject ?? '',
    subjectType: data.subject_type ?? previous?.subjectType ?? null,
    subjectId: data.subject_id ?? previous?.subjectId ?? null,
    status,
    progress,
    message: data.message ?? previous?.message ?? '',
    error: data.error ?? (status === 'queued' || status === 'running' ? '' : (previous?.error ?? '')),
    projectId: data.project_id ?? previous?.projectId ?? null,
    updatedAt: event.at,
  }
}

/** A run as the API returns it, in the tray's shape. */
export function runStateFrom(run: Run, previous?: RunState): RunState {
  return {
    id: String(run.id),
    kind: run.kind,
    subject: previous?.subject ?? '',
    subjectType: run.subject_type,
    subjectId: run.subject_id,
    status: run.status,
    progress: run.status === 'queued' && run.progress === 0 ? null : run.progress,
    message: run.message,
    error: run.error ?? '',
    projectId: run.project_id,
    updatedAt: Date.parse(run.updated_at) / 1000,
  }
}

export const useJobsStore = defineStore('jobs', () => {
  const runs = ref<Record<string, RunState>>({})
  const toasts = useToasts()
  const forgetTimers = new Map<string, ReturnType<typeof setTimeout>>()

  const active = computed(() =>
    Object.values(runs.value)
      .filter((run) => !isFinished(run.status))
      .sort((a, b) => a.updatedAt - b.updatedAt),
  )
  const failed = computed(() => Object.values(runs.value).filter((run) => run.status === 'failed'))
  const recent = computed(() => Object.values(runs.value).sort((a, b) => b.updatedAt - a.updatedAt))
  const historyById = ref<Record<string, RunState>>({})
  /** Finished runs no longer in the live list, newest first. */
  const history = computed(() =>
    Object.values(historyById.value)
      .filter((run) => !(run.id in runs.value))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, HISTORY_SIZE),
  )

  function remember(run: RunState): void {
    if (isFinished(run.status)) historyById.value = { ...historyById.value, [run.id]: run }
  }

  function store(next: RunState): void {
    runs.value = { ...runs.value, [next.id]: next }
  }

  function receive(event: StudioEvent): void {
    const data = event.data as Partial<RunEventData>
    if (data.run_id === undefined || data.run_id === null) return
    const id = String(data.run_id)
    const previous = runs.value[id]
    // A late progress event must not resurrect a finished run; a retry (run.queued) reopens it.
    const reopened = event.name === 'run.queued' && previous !== undefined && canRetry(previous.status)
    if (previous && isFinished(previous.status) && !reopened) return
    if (reopened) cancelForget(id)
    const next = applyRunEvent(previous, event)
    store(next)
    if (isFinished(next.status)) announce(next)
  }

  /** Take in a run read from the API (no toast: the person is looking at it already). */
  function merge(run: Run): RunState {
    const id = String(run.id)
    const previous = runs.value[id]
    const next = runStateFrom(run, previous)
    // Events can overtake the HTTP answer that started the run: the newer state wins.
    if (previous && previous.updatedAt > next.updatedAt) return previous
    store(next)
    if (isFinished(next.status)) scheduleForget(next)
    else cancelForget(id)
    return next
  }

  function announce(run: RunState): void {
    const what = run.subject ? `${humanKind(run.kind)}: ${run.subject}` : humanKind(run.kind)
    const note = run.message && run.message !== 'done' ? run.message : undefined
    if (run.status === 'succeeded') toasts.success(`${what} finished`, note)
    else if (run.status === 'failed') toasts.error(`${what} failed`, run.error || note)
    else toasts.info(`${what} was cancelled`)
    scheduleForget(run)
  }

  function scheduleForget(run: RunState): void {
    if (run.status === 'failed') return // stays until retried or dismissed
    cancelForget(run.id)
    forgetTimers.set(
      run.id,
      setTimeout(() => forget(run.id), FINISHED_LINGER_MS),
    )
  }

  function cancelForget(id: string): void {
    const timer = forgetTimers.get(id)
    if (timer) clearTimeout(timer)
    forgetTimers.delete(id)
  }

  function forget(id: string): void {
    cancelForget(id)
    const run = runs.value[id]
    if (run) remember(run)
    const { [id]: _gone, ...rest } = runs.value
    runs.value = rest
  }

  /** What is queued or running on the server now; runs we thought active but that ended meanwhile are re-read. */
  async function loadActive(): Promise<void> {
    const page = await jobsApi.listActiveRuns()
    const seen = new Set(page.items.map((run) => String(run.id)))
    for (const run of page.items) merge(run)
    const stale = active.value.filter((run) => !seen.has(run.id) && /^\d+$/.test(run.id))
    await Promise.all(stale.map((run) => jobsApi.getRun(Number(run.id)).then(merge, () => forget(run.id))))
  }

  /** Finished runs from the server (the history across page loads). */
  async function loadHistory(): Promise<void> {
    const page = await jobsApi.listFinishedRuns(HISTORY_SIZE)
    for (const run of page.items) remember(runStateFrom(run, historyById.value[String(run.id)]))
  }

  async function cancel(id: string): Promise<void> {
    merge(await jobsApi.cancelRun(Number(id)))
  }

  async function retry(id: string): Promise<void> {
    merge(await jobsApi.retryRun(Number(id)))
  }

  const stream = eventStream()
  for (const name of ['run.queued', 'run.started', 'run.progress', 'run.finished'] as const) {
    stream.on(name, receive)
  }
  stream.onReconnect(() => void loadActive().catch(() => undefined))

  return { runs, active, failed, recent, history, receive, merge, forget, loadActive, loadHistory, cancel, retry }
})
