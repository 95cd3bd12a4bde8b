import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import type { AppearanceData } from '@/api/types'
import AppearanceEditor from '@/features/characters/AppearanceEditor.vue'
import { baseSpecies, isNonHuman, withNonHuman } from '@/features/characters/species'

describe('the NOT human marker', () => {
  it('is recognised in any case, with or without brackets', () => {
    expect(isNonHuman('lantern spirit (NOT human)')).toBe(true)
    expect(isNonHuman('robot, not human')).toBe(true)
    expect(isNonHuman('human')).toBe(false)
    expect(isNonHuman('nothuman')).toBe(false)
  })

  it('is added once and removed cleanly', () => {
    expect(withNonHuman('lantern spirit', true)).toBe('lantern spirit (NOT human)')
    expect(withNonHuman('lantern spirit (NOT human)', true)).toBe('lantern spirit (NOT human)')
    expect(withNonHuman('human', true)).toBe('creature (NOT human)')
    expect(withNonHuman('', true)).toBe('creature (NOT human)')
    expect(withNonHuman('lantern spirit (NOT human)', false)).toBe('lantern spirit')
    expect(withNonHuman('mushroom creature (not human) from the woods', false)).toBe('mushroom creature from the woods')
    expect(withNonHuman('(NOT human)', false)).toBe('human')
    expect(baseSpecies('cat (NOT human)')).toBe('cat')
  })
})

describe('AppearanceEditor species toggle', () => {
  function mountEditor(species: string) {
    const data = ref<AppearanceData>({ species, key_colors: { hair: '#1b1b1b' }, key_features: [], common_errors: [] })
    const Host = defineComponent({
      setup: () => () =>
        h(AppearanceEditor, { modelValue: data.value, 'onUpdate:modelValue': (v: AppearanceData) => (data.value = v) }),
    })
    return { wrapper: mount(Host), data }
  }

  it('reflects the species and manages the marker', async () => {
    const { wrapper, data } = mountEditor('lantern spirit')
    const toggle = wrapper.get('[role="switch"]')
    expect(toggle.attributes('aria-checked')).toBe('false')

    await toggle.trigger('click')
    expect(data.value.species).toBe('lantern spirit (NOT human)')
    expect(wrapper.get('[role="switch"]').attributes('aria-checked')).toBe('true')
    expect(wrapper.text()).toContain('human-anatomy terms')

    await wrapper.get('[role="switch"]').trigger('click')
    expect(data.value.species).toBe('lantern spirit')
    expect(data.value.key_colors).toEqual({ hair: '#1b1b1b' })
  })

  it('turns on when the marker is typed into the species', async () => {
    const { wrapper } = mountEditor('human')
    const input = wrapper.get('input[type="text"]')
    await input.setValue('robot (NOT human)')
    expect(wrapper.get('[role="switch"]').attributes('aria-checked')).toBe('true')
  })

  it('edits key colours part by part', async () => {
    const { wrapper, data } = mountEditor('human')
    await wrapper.findAll('button').find((b) => b.text().includes('Add key colour'))!.trigger('click')
    const parts = wrapper.findAll('[data-kv-row] input.field-input')
    await parts[1]!.setValue('scarf')
    const colour = wrapper.get('[aria-label="scarf colour"]')
    await colour.setValue('#c0392b')
    expect(data.value.key_colors).toEqual({ hair: '#1b1b1b', scarf: '#c0392b' })
  })
})
