/** The review player's arithmetic and keys, kept apart from the component so that they are tested directly. */

/** The frame shown at `time` (frame n covers [n/fps, (n+1)/fps)), as the server counts it for comment stills. */
export function frameAt(time: number, fps: number): number {
  return Math.floor(time * fps + 1e-6)
}

/**
 * The time to seek to for showing frame `frame`: its middle, so that the browser's rounding of
 * currentTime never lands on the neighbouring frame.
 */
export function timeOfFrame(frame: number, fps: number, duration: number): number {
  const last = Math.max(0, Math.ceil(duration * fps) - 1)
  const clamped = Math.min(Math.max(0, frame), last)
  return (clamped + 0.5) / fps
}

/** One frame forward (`+1`) or back (`-1`) from `time`. */
export function stepFrame(time: number, fps: number, direction: 1 | -1, duration: number): number {
  return timeOfFrame(frameAt(time, fps) + direction, fps, duration)
}

/** `00:02.000 · f24`: minutes, seconds, and the frame number. */
export function timecodeLabel(time: number, fps: number): string {
  const minutes = Math.floor(time / 60)
  const seconds = time - minutes * 60
  return `${String(minutes).padStart(2, '0')}:${seconds.toFixed(3).padStart(6, '0')} · f${frameAt(time, fps)}`
}

export type PlayerAction = 'toggle' | 'back' | 'forward' | 'approve' | 'retake' | 'comment'

/** What a key does in the player (ignored while typing in a field). */
export function keyAction(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, typing: boolean): PlayerAction | null {
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return null
  const keys: Record<string, PlayerAction> = {
    ' ': 'toggle', k: 'toggle', ',': 'back', ArrowLeft: 'back', '.': 'forward', ArrowRight: 'forward',
    a: 'approve', r: 'retake', c: 'comment',
  }
  return keys[event.key] ?? null
}

/** Comments nested under their parents, oldest first. */
export function thread<T extends { id: number; parent_id: number | null }>(comments: T[]): { comment: T; depth: number }[] {
  const children = new Map<number | null, T[]>()
  for (const comment of comments) {
    const parent = comments.some((c) => c.id === comment.parent_id) ? comment.parent_id : null
    children.set(parent, [...(children.get(parent) ?? []), comment])
  }
  const out: { comment: T; depth: number }[] = []
  const walk = (parent: number | null, depth: number) => {
    for (const comment of children.get(parent) ?? []) {
      out.push({ comment, depth })
      walk(comment.id, depth + 1)
    }
  }
  walk(null, 0)
  return out
}
