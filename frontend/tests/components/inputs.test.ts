import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import KeyValueEditor from '@/components/KeyValueEditor.vue'
import TagListInput from '@/components/TagListInput.vue'
import { cssColor, luminance, normalizeHex, setColorWords } from '@/components/color'
import { useFormDraft } from '@/composables/useFormDraft'

function host<T>(component: object, initial: T, props: Record<string, unknown> = {}) {
  const value = ref(initial)
  const Host = defineComponent({
    setup: () => () =>
      h(component, { ...props, modelValue: value.value, 'onUpdate:modelValue': (v: T) => (value.value = v) }),
  })
  return { wrapper: mount(Host), value }
}

describe('TagListInput', () => {
  it('adds on Enter and comma, skips duplicates, splits pasted lists', async () => {
    const { wrapper, value } = host(TagListInput, ['friendship'], { label: 'Themes' })
    const input = wrapper.get('input')
    await input.setValue('Loss')
    await input.trigger('keydown', { key: 'Enter' })
    await input.setValue('FRIENDSHIP')
    await input.trigger('keydown', { key: ',' })
    expect(value.value).toEqual(['friendship', 'Loss'])

    const paste = new Event('paste') as ClipboardEvent
    Object.defineProperty(paste, 'clipboardData', { value: { getData: () => 'night, rain,\nloss' } })
    input.element.dispatchEvent(paste)
    await nextTick()
    expect(value.value).toEqual(['friendship', 'Loss', 'night', 'rain'])
  })

  it('removes with × and with Backspace on an empty input', async () => {
    const { wrapper, value } = host(TagListInput, ['a', 'b', 'c'], { label: 'Tags' })
    await wrapper.get('[aria-label="Remove b"]').trigger('click')
    expect(value.value).toEqual(['a', 'c'])
    await wrapper.get('input').trigger('keydown', { key: 'Backspace' })
    expect(value.value).toEqual(['a'])
  })
})

describe('KeyValueEditor', () => {
  it('edits rows, keeps non-string values as JSON, and drops blank keys', async () => {
    const { wrapper, value } = host(KeyValueEditor, { lens: '35mm', shots: { wide: 2 } } as Record<string, unknown>, {
      label: 'Cinematography',
    })
    const inputs = () => wrapper.findAll('[data-kv-row] input')
    expect(inputs().map((i) => (i.element as HTMLInputElement).value)).toEqual(['lens', '35mm', 'shots', '{"wide":2}'])

    await inputs()[1]!.setValue('50mm')
    await inputs()[3]!.setValue('{"wide":3}')
    expect(value.value).toEqual({ lens: '50mm', shots: { wide: 3 } })

    await wrapper.findAll('button').find((b) => b.text().includes('Add row'))!.trigger('click')
    expect(wrapper.findAll('[data-kv-row]')).toHaveLength(3) // a blank row stays while editing
    expect(Object.keys(value.value)).toEqual(['lens', 'shots'])
    await inputs()[4]!.setValue('lighting')
    await inputs()[5]!.setValue('lantern light')
    expect(value.value).toEqual({ lens: '50mm', shots: { wide: 3 }, lighting: 'lantern light' })

    await wrapper.get('[aria-label="Remove lens"]').trigger('click')
    expect(Object.keys(value.value)).toEqual(['shots', 'lighting'])
  })

  it('warns about duplicate keys and keeps the first', async () => {
    const { wrapper, value } = host(KeyValueEditor, { a: '1' } as Record<string, unknown>, { label: 'X', keyPlaceholder: 'key' })
    await wrapper.findAll('button').find((b) => b.text().includes('Add row'))!.trigger('click')
    const inputs = wrapper.findAll('[data-kv-row] input')
    await inputs[2]!.setValue('a')
    await inputs[3]!.setValue('2')
    expect(value.value).toEqual({ a: '1' })
    expect(wrapper.text()).toContain('only the first is kept')
  })
})

describe('colour helpers', () => {
  it('normalises hex and recognises names', () => {
    expect(normalizeHex('ABC')).toBe('#aabbcc')
    expect(normalizeHex('#1F3B5B')).toBe('#1f3b5b')
    expect(normalizeHex('#12345')).toBeNull()
    expect(cssColor('')).toBeNull()
    expect(luminance('#ffffff')).toBeCloseTo(1)
  })

  it('paints the studio’s colour words, alone or as the last colour word of a phrase', () => {
    // A browser that knows only two CSS names (jsdom's CSS.supports accepts anything).
    vi.stubGlobal('CSS', { supports: (_property: string, value: string) => ['red', 'blue'].includes(value) })
    setColorWords({ cream: '#fff8d6', golden: '#e8aa28' })
    expect(cssColor('cream')).toBe('#fff8d6')
    expect(cssColor('Golden')).toBe('#e8aa28')
    expect(cssColor('soft cream fur')).toBe('#fff8d6')
    expect(cssColor('sunset vibes')).toBeNull()
    expect(cssColor('deep blue sea')).toBe('blue')
    setColorWords({})
    expect(cssColor('cream')).toBeNull()
    vi.unstubAllGlobals()
  })
})

describe('useFormDraft', () => {
  it('tracks edits, follows the source while clean, and keeps edits when the source changes', async () => {
    const source = ref({ name: 'A', tags: ['x'] })
    const { draft, dirty, reset } = useFormDraft(() => source.value)
    expect(dirty.value).toBe(false)
    source.value = { name: 'B', tags: ['x'] }
    await nextTick()
    expect(draft.value?.name).toBe('B')

    draft.value!.tags.push('y')
    expect(dirty.value).toBe(true)
    source.value = { name: 'C', tags: [] }
    await nextTick()
    expect(draft.value).toEqual({ name: 'B', tags: ['x', 'y'] })

    reset()
    expect(draft.value).toEqual({ name: 'C', tags: [] })
    expect(dirty.value).toBe(false)
  })
})
