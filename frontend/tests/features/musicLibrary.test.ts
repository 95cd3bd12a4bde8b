/** The music library's attribution line: Apple Music previews are credited, the studio's own tracks are not. */
import { describe, expect, it } from 'vitest'
import { attribution } from '@/features/music/api'

describe('attribution', () => {
  it('credits an Apple Music preview with track, artist and album', () => {
    const credits = { provider: 'Apple Music', track: 'Gurenge', artist: 'LiSA', album: 'LEO-NiNE' }
    expect(attribution({ credits })).toBe('“Gurenge” by LiSA, from LEO-NiNE (preview courtesy of Apple Music)')
  })

  it('leaves composed and uploaded tracks uncredited', () => {
    expect(attribution({ credits: {} })).toBe('')
    expect(attribution({ credits: { filename: 'theme.wav' } })).toBe('')
  })
})
