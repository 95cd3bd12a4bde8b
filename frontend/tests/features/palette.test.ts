import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import type { ColorPalette } from '@/api/types'
import PaletteEditor from '@/features/story/PaletteEditor.vue'
import { addColor, invalidRoles, normalizePalette, removeColor, setColor, suggestColor } from '@/features/story/palette'

describe('palette helpers', () => {
  it('normalises what the server stored and keeps extra keys', () => {
    const palette = normalizePalette({ primary: ['#ABCDEF', 'nope', 3], skin: ['#ffe0bd'] })
    expect(palette).toEqual({ primary: ['#abcdef'], secondary: [], accent: [], background: [], skin: ['#ffe0bd'] })
    expect(normalizePalette(undefined).primary).toEqual([])
  })

  it('adds, edits and removes colours without touching other roles', () => {
    let palette = normalizePalette({ accent: ['#ffd166'], mood: 'warm' })
    palette = addColor(palette, 'primary', '#F00')
    palette = addColor(palette, 'primary', 'not a colour')
    expect(palette.primary).toEqual(['#ff0000', '#808080'])
    palette = setColor(palette, 'primary', 1, '1f3b5b')
    expect(palette.primary).toEqual(['#ff0000', '#1f3b5b'])
    palette = removeColor(palette, 'primary', 0)
    expect(palette.primary).toEqual(['#1f3b5b'])
    expect(palette.accent).toEqual(['#ffd166'])
    expect(palette.mood).toBe('warm')
  })

  it('stops at 16 colours per role', () => {
    let palette = normalizePalette({})
    for (let i = 0; i < 20; i++) palette = addColor(palette, 'background', '#000000')
    expect(palette.background).toHaveLength(16)
  })

  it('flags roles with text that is not a hex colour', () => {
    const palette = setColor(normalizePalette({ secondary: ['#111111'] }), 'secondary', 0, 'blue-ish')
    expect(palette.secondary).toEqual(['blue-ish'])
    expect(invalidRoles(palette)).toEqual(['secondary'])
  })

  it('suggests a related colour for the next swatch', () => {
    expect(suggestColor(normalizePalette({ primary: ['#101010'] }), 'primary')).toBe('#280420')
    expect(suggestColor(normalizePalette({}), 'background')).toBe('#1e2433')
  })
})

describe('PaletteEditor', () => {
  function mountEditor(initial: ColorPalette) {
    const palette = ref<ColorPalette>(initial)
    const Host = defineComponent({
      setup: () => () => h(PaletteEditor, { modelValue: palette.value, 'onUpdate:modelValue': (v: ColorPalette) => (palette.value = v) }),
    })
    return { wrapper: mount(Host), palette }
  }

  it('renders one swatch per colour in each role', () => {
    const { wrapper } = mountEditor(normalizePalette({ primary: ['#1f3b5b', '#f2a541'], background: ['#0d1b2a'] }))
    expect(wrapper.findAll('[data-role="primary"] [data-swatch]')).toHaveLength(2)
    expect(wrapper.findAll('[data-role="background"] [data-swatch]')).toHaveLength(1)
    expect(wrapper.findAll('[data-role="accent"] [data-swatch]')).toHaveLength(0)
  })

  it('adds a colour with the Add button and removes one with its ×', async () => {
    const { wrapper, palette } = mountEditor(normalizePalette({ accent: ['#ffd166'] }))
    await wrapper.get('[aria-label="Add accent colour"]').trigger('click')
    expect(palette.value.accent).toHaveLength(2)
    await wrapper.get('[aria-label="Remove accent colour #ffd166"]').trigger('click')
    expect(palette.value.accent).toHaveLength(1)
    expect(palette.value.accent?.[0]).not.toBe('#ffd166')
  })

  it('takes colours from the picker and from typed hex', async () => {
    const { wrapper, palette } = mountEditor(normalizePalette({ primary: ['#000000'] }))
    const picker = wrapper.get('[aria-label="Primary colour 1 picker"]')
    ;(picker.element as HTMLInputElement).value = '#336699'
    await picker.trigger('input')
    expect(palette.value.primary).toEqual(['#336699'])

    const text = wrapper.get('[aria-label="Primary colour 1"]')
    await text.setValue('#ABC')
    await text.trigger('change')
    expect(palette.value.primary).toEqual(['#aabbcc'])
  })

  it('marks a role holding an invalid colour', async () => {
    const { wrapper } = mountEditor(normalizePalette({ primary: ['#000000'] }))
    const text = wrapper.get('[aria-label="Primary colour 1"]')
    await text.setValue('purple')
    await text.trigger('change')
    expect(wrapper.get('[data-role="primary"]').text()).toContain('Use hex colours like #ff3366.')
  })
})
