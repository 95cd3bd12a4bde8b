/** The Approve tab's undo history: each decision remembers the statuses it replaced, newest last. */
import type { ReviewStatus } from './review'

export interface Decision {
  ids: number[]
  status: ReviewStatus
  previous: Record<number, ReviewStatus>
}

/** The requests that restore what `decision` replaced: one per previous status. */
export function undoRequests(decision: Decision): { ids: number[]; status: ReviewStatus }[] {
  const groups = new Map<ReviewStatus, number[]>()
  for (const id of decision.ids) {
    const before = decision.previous[id] ?? 'pending'
    groups.set(before, [...(groups.get(before) ?? []), id])
  }
  return [...groups].map(([status, ids]) => ({ ids, status }))
}

export const UNDO_LIMIT = 50

export function pushDecision(history: Decision[], decision: Decision): Decision[] {
  return [...history, decision].slice(-UNDO_LIMIT)
}
