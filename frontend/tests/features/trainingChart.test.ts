import { describe, expect, it } from 'vitest'
import { bounds, formatEta, linePath, smooth } from '@/features/training/chart'

describe('loss smoothing', () => {
  it('leaves the series alone at weight 0 and starts at the first value (bias-corrected)', () => {
    expect(smooth([3, 1, 2], 0)).toEqual([3, 1, 2])
    expect(smooth([0.5, 0.5, 0.5], 0.9).map((v) => v.toFixed(6))).toEqual(['0.500000', '0.500000', '0.500000'])
  })

  it('damps noise: a smoothed zig-zag varies less than the raw one', () => {
    const raw = Array.from({ length: 40 }, (_, i) => 1 / (1 + i / 10) + (i % 2 ? 0.1 : -0.1))
    const smoothed = smooth(raw, 0.8)
    const spread = (xs: number[]) => xs.slice(1).reduce((sum, x, i) => sum + Math.abs(x - xs[i]!), 0)
    expect(spread(smoothed)).toBeLessThan(spread(raw) / 3)
    expect(smoothed[39]!).toBeLessThan(smoothed[5]!)
  })
})

describe('SVG geometry', () => {
  it('maps the lowest loss to the bottom and the last step to the right edge', () => {
    const points = [[1, 0.3], [2, 0.2], [3, 0.1]] as const
    const box = bounds([...points])!
    const d = linePath([...points], box, 100, 50)
    const coords = d.split(' ').map((part) => part.slice(1).split(',').map(Number))
    expect(coords[0]![0]).toBe(0)
    expect(coords[2]![0]).toBe(100)
    expect(coords[2]![1]).toBeGreaterThan(coords[0]![1]!)
  })

  it('has no bounds without data and formats ETAs', () => {
    expect(bounds([])).toBeNull()
    expect(formatEta(3725)).toBe('1 h 02 min')
    expect(formatEta(200)).toBe('3 min 20 s')
    expect(formatEta(null)).toBe('—')
  })
})
