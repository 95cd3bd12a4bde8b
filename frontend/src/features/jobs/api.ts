/** Runs (`/api/lora/jobs`): what is queued or running, cancel and retry. */
import { api, unwrap } from '@/api/http'
import type { Page, Run } from '@/api/types'

/** Queued and running runs, newest first (the tray's state after a page load or reconnect). */
export function listActiveRuns(limit = 50): Promise<Page<Run>> {
  return unwrap(api().GET('/api/lora/jobs', { params: { query: { status: ['queued', 'running'], limit } } }))
}

/** Finished runs (succeeded, failed, cancelled), newest first: the tray's history. */
export function listFinishedRuns(limit = 20): Promise<Page<Run>> {
  return unwrap(api().GET('/api/lora/jobs', { params: { query: { status: ['succeeded', 'failed', 'cancelled'], limit } } }))
}

export function getRun(runId: number): Promise<Run> {
  return unwrap(api().GET('/api/lora/jobs/{job_id}', { params: { path: { job_id: runId } } }))
}

export function cancelRun(runId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/jobs/{job_id}/cancel', { params: { path: { job_id: runId } } }))
}

export function retryRun(runId: number): Promise<Run> {
  return unwrap(api().POST('/api/lora/jobs/{job_id}/retry', { params: { path: { job_id: runId } } }))
}
