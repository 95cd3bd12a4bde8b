/**
 * Live runs from `run.*` events: what is queued or running (with progress), and a toast when one
 * finishes. No polling: a run appears with its first event and leaves shortly after it finishes.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useToasts } from '@/components/toast'
import { eventStream } from '@/composables/useEventStream'
import type { RunEventData, RunStatus, StudioEvent, StudioEventName } from './events'

export interface RunState {
  id: string
  kind: string
  subject: string
  status: RunStatus
  /** 0–1, or null while unknown (an indeterminate bar). */
  progress: number | null
  message: string
  error: string
  projectId: number | null
  updatedAt: number
}

/** How long a finished run stays in the tray so people see it complete. */
export const FINISHED_LINGER_MS = 6000

const STATUS_BY_EVENT: Partial<Record<StudioEventName, RunStatus>> = {
  'run.queued': 'queued',
  'run.started': 'running',
  'run.progress': 'running',
}

export function isFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled'
}

/** "image generation" from "image_generation" / "image.generation". */
export function humanKind(kind: string): string {
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
    status,
    progress,
    message: data.message ?? previous?.message ?? '',
    error: data.error ?? previous?.error ?? '',
    projectId: data.project_id ?? previous?.projectId ?? null,
    updatedAt: event.at,
  }
}

export const useJobsStore = defineStore('jobs', () => {
  const runs = ref<Record<string, RunState>>({})
  const toasts = useToasts()

  const active = computed(() =>
    Object.values(runs.value)
      .filter((run) => !isFinished(run.status))
      .sort((a, b) => a.updatedAt - b.updatedAt),
  )
  const recent = computed(() => Object.values(runs.value).sort((a, b) => b.updatedAt - a.updatedAt))

  function receive(event: StudioEvent): void {
    const data = event.data as Partial<RunEventData>
    if (data.run_id === undefined || data.run_id === null) return
    const id = String(data.run_id)
    const previous = runs.value[id]
    if (previous && isFinished(previous.status)) return // a late progress event after the finish
    const next = applyRunEvent(previous, event)
    runs.value = { ...runs.value, [id]: next }
    if (isFinished(next.status)) announce(next)
  }

  function announce(run: RunState): void {
    const what = run.subject ? `${humanKind(run.kind)}: ${run.subject}` : humanKind(run.kind)
    if (run.status === 'succeeded') toasts.success(`${what} finished`, run.message || undefined)
    else if (run.status === 'failed') toasts.error(`${what} failed`, run.error || run.message || undefined)
    else toasts.info(`${what} was cancelled`)
    setTimeout(() => forget(run.id), FINISHED_LINGER_MS)
  }

  function forget(id: string): void {
    const { [id]: _gone, ...rest } = runs.value
    runs.value = rest
  }

  const stream = eventStream()
  for (const name of ['run.queued', 'run.started', 'run.progress', 'run.finished'] as const) {
    stream.on(name, receive)
  }

  return { runs, active, recent, receive, forget }
})
