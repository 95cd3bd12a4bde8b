/** How asset states and scores read and look. */
import type { AssetStatus } from '@/api/types'

type Tone = 'neutral' | 'accent' | 'warning' | 'danger' | 'success'

export const STATUS_LABELS: Record<AssetStatus, { label: string; tone: Tone }> = {
  pending: { label: 'Needs review', tone: 'warning' },
  approved: { label: 'Approved', tone: 'success' },
  rejected: { label: 'Rejected', tone: 'danger' },
  ready: { label: 'Ready', tone: 'neutral' },
}

/** Score colour by the default gates: auto-approve at 0.8, auto-reject below 0.4. */
export function scoreTone(score: number | null | undefined): Tone {
  if (score === null || score === undefined) return 'neutral'
  if (score >= 0.8) return 'success'
  if (score >= 0.4) return 'warning'
  return 'danger'
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : score.toFixed(2)
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return ''
  const whole = Math.round(seconds * 10) / 10
  if (whole < 60) return `${whole.toFixed(1)} s`
  const minutes = Math.floor(whole / 60)
  return `${minutes}:${String(Math.round(whole % 60)).padStart(2, '0')}`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}
