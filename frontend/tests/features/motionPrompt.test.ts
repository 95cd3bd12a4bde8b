import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import MotionPrompt from '@/features/scenes/MotionPrompt.vue'
import { parsePresets } from '@/features/scenes/api'

const presets = {
  medium: ['character walks forward confidently', 'character turns to face the camera'],
  'close-up': ['character blinks and smiles softly', 'wind blows hair across the face'],
}

function mountPrompt(props: Record<string, unknown>, initial = '') {
  const value = ref(initial)
  const wrapper = mount(MotionPrompt, {
    props: { presets, modelValue: value.value, 'onUpdate:modelValue': (next: string) => { value.value = next; void wrapper.setProps({ modelValue: next }) }, ...props },
  })
  return { wrapper, value }
}

describe('MotionPrompt', () => {
  it('a preset chip fills the motion prompt textarea', async () => {
    const { wrapper, value } = mountPrompt({ shotType: 'close-up' }, 'something I typed')
    const chips = wrapper.findAll('[data-preset]')
    expect(chips.map((c) => c.text())).toEqual(presets['close-up'])
    await chips[1]!.trigger('click')
    expect(value.value).toBe('wind blows hair across the face')
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('wind blows hair across the face')
    expect(chips[1]!.attributes('aria-pressed')).toBe('true')
    expect(chips[0]!.attributes('aria-pressed')).toBe('false')
  })

  it('typing still edits the prompt freely', async () => {
    const { wrapper, value } = mountPrompt({ shotType: 'medium' })
    await wrapper.get('textarea').setValue('slow push in on the lantern')
    expect(value.value).toBe('slow push in on the lantern')
  })

  it('follows the shot type, and lets a video pick a type to browse', async () => {
    const { wrapper } = mountPrompt({ shotType: 'medium' })
    expect(wrapper.findAll('[data-preset]')[0]!.text()).toBe(presets.medium[0])
    expect(wrapper.find('select').exists()).toBe(false)
    await wrapper.setProps({ shotType: 'close-up' })
    expect(wrapper.findAll('[data-preset]')[0]!.text()).toBe(presets['close-up'][0])

    const free = mountPrompt({ shotType: null }).wrapper
    await free.get('select').setValue('close-up')
    expect(free.findAll('[data-preset]').map((c) => c.text())).toEqual(presets['close-up'])
  })

  it('parses the server presets defensively', () => {
    expect(parsePresets({ presets: { wide: ['pan', 3, 'zoom'], odd: 'x' } })).toEqual({ wide: ['pan', 'zoom'], odd: [] })
    expect(parsePresets(null)).toEqual({})
  })
})
