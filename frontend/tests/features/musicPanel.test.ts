import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { scene, shot } from '../support/fixtures'

vi.mock('@/features/assets/api', async (original) => ({
  ...(await original<typeof import('@/features/assets/api')>()),
  galleryPage: vi.fn().mockResolvedValue({ items: [], next_cursor: null }),
}))
const { default: MusicPanel } = await import('@/features/scenes/MusicPanel.vue')

describe('music panel', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows the score composed and mixed during generation instead of "No track yet"', () => {
    const mixed = scene(1, [shot(11, 1)], {
      mood: 'peaceful',
      music_path: null,
      generation: { music: { path: 'output/scenes/p/scene_1/music_abc.wav', volume: 0.3, composed: true } },
    })
    const wrapper = mount(MusicPanel, { props: { scene: mixed, editable: false, busy: false } })
    expect(wrapper.get('[data-testid="mixed-score"]').text()).toContain('Score composed from the mood “peaceful”')
    expect(wrapper.text()).toContain('mixed at 30%')
    expect(wrapper.text()).not.toContain('No track yet')
  })

  it('says there is no track before any generation', () => {
    const wrapper = mount(MusicPanel, { props: { scene: scene(1, [], { music_path: null, generation: {} }), editable: false, busy: false } })
    expect(wrapper.text()).toContain('No track yet')
  })
})
