/** Plain-SVG chart geometry for the Train tab: the loss curve, its smoothed line, the per-epoch scores. */

export type Point = readonly [number, number]

/**
 * Exponential moving average with bias correction (TensorBoard's smoothing): early points are not
 * dragged towards zero, and `weight` 0 returns the series unchanged.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999)
  let last = 0
  let count = 0
  return values.map((value) => {
    if (!Number.isFinite(value)) return value
    last = last * w + (1 - w) * value
    count += 1
    return last / (1 - Math.pow(w, count))
  })
}

export interface Bounds {
  xMin: number
  xMax: number
  yMin: number
  yMax: number
}

export function bounds(points: readonly Point[]): Bounds | null {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
  if (finite.length === 0) return null
  const xs = finite.map(([x]) => x)
  const ys = finite.map(([, y]) => y)
  const pad = (Math.max(...ys) - Math.min(...ys)) * 0.05 || Math.abs(ys[0]!) * 0.05 || 1
  return { xMin: Math.min(...xs), xMax: Math.max(...xs), yMin: Math.min(...ys) - pad, yMax: Math.max(...ys) + pad }
}

/** An SVG path `d` for the points in a `width`×`height` box (y grows downwards on screen). */
export function linePath(points: readonly Point[], box: Bounds, width: number, height: number): string {
  const sx = (x: number) => (box.xMax === box.xMin ? width / 2 : ((x - box.xMin) / (box.xMax - box.xMin)) * width)
  const sy = (y: number) => (box.yMax === box.yMin ? height / 2 : height - ((y - box.yMin) / (box.yMax - box.yMin)) * height)
  return points
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
    .join(' ')
}

/** Seconds as "1 h 04 min", "3 min 20 s", "12 s". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${s} s`
}
