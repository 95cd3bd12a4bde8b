import { describe, expect, it } from 'vitest'
import { pushDecision, undoRequests, UNDO_LIMIT } from '@/features/datasets/undo'

describe('undo', () => {
  it('restores each image to the status it had, grouped', () => {
    const requests = undoRequests({ ids: [1, 2, 3], status: 'rejected', previous: { 1: 'pending', 2: 'approved', 3: 'pending' } })
    expect(requests).toEqual([
      { ids: [1, 3], status: 'pending' },
      { ids: [2], status: 'approved' },
    ])
  })

  it('keeps a bounded history', () => {
    let history = [] as ReturnType<typeof pushDecision>
    for (let i = 0; i < UNDO_LIMIT + 5; i++) history = pushDecision(history, { ids: [i], status: 'approved', previous: {} })
    expect(history).toHaveLength(UNDO_LIMIT)
    expect(history[0]?.ids).toEqual([5])
  })
})
