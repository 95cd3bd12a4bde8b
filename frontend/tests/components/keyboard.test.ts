import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { nextIndex, useGridNavigation } from '@/composables/useGridNavigation'
import { asset } from '../support/fixtures'

vi.mock('@/features/assets/api', async (original) => ({ ...(await original<object>()), getAsset: vi.fn() }))
const assetsApi = await import('@/features/assets/api')
const { default: AssetLightbox } = await import('@/features/assets/AssetLightbox.vue')

function press(key: string, target: EventTarget = window): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
}

describe('nextIndex', () => {
  it('moves by one with j/k and ←/→, by a row with ↑/↓, and stays inside the grid', () => {
    expect(nextIndex('j', 0, 10, 4)).toBe(1)
    expect(nextIndex('ArrowRight', 9, 10, 4)).toBe(9)
    expect(nextIndex('k', 0, 10, 4)).toBe(0)
    expect(nextIndex('ArrowLeft', 5, 10, 4)).toBe(4)
    expect(nextIndex('ArrowDown', 1, 10, 4)).toBe(5)
    expect(nextIndex('ArrowDown', 8, 10, 4)).toBe(9)
    expect(nextIndex('ArrowUp', 2, 10, 4)).toBe(0)
    expect(nextIndex('End', 2, 10, 4)).toBe(9)
    expect(nextIndex('Home', 7, 10, 4)).toBe(0)
  })

  it('starts at the first item and ignores other keys or an empty grid', () => {
    expect(nextIndex('j', -1, 3, 3)).toBe(0)
    expect(nextIndex('ArrowDown', -1, 3, 3)).toBe(0)
    expect(nextIndex('x', 1, 3, 3)).toBeNull()
    expect(nextIndex('j', -1, 0, 3)).toBeNull()
  })
})

describe('useGridNavigation', () => {
  function mountGrid(count = 6, columns = 3, enabled = () => true) {
    const opened: number[] = []
    const atEnd = vi.fn()
    const Grid = defineComponent({
      setup() {
        const nav = useGridNavigation({ count: () => count, columns: () => columns, open: (i) => opened.push(i), enabled, atEnd })
        return () => h('div', [h('input', { id: 'typing' }), h('span', { id: 'active' }, String(nav.active.value))])
      },
    })
    const wrapper = mount(Grid, { attachTo: document.body })
    return { wrapper, opened, atEnd, active: () => wrapper.get('#active').text() }
  }

  it('moves the selection and opens it with Enter', async () => {
    const { wrapper, opened, active } = mountGrid()
    press('j')
    press('j')
    press('ArrowDown')
    await flushPromises()
    expect(active()).toBe('4')
    press('k')
    press('Enter')
    await flushPromises()
    expect(opened).toEqual([3])
    wrapper.unmount()
  })

  it('asks for more at the last item', async () => {
    const { wrapper, atEnd } = mountGrid(3, 3)
    press('End')
    expect(atEnd).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })

  it('leaves keys typed into fields alone, and stands down while disabled', async () => {
    let on = true
    const { wrapper, active } = mountGrid(6, 3, () => on)
    press('j', wrapper.get('#typing').element)
    await flushPromises()
    expect(active()).toBe('-1')
    on = false
    press('j')
    await flushPromises()
    expect(active()).toBe('-1')
    wrapper.unmount()
  })
})

describe('AssetLightbox keyboard', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.mocked(assetsApi.getAsset).mockImplementation(async (id) => ({ ...asset(id), review: {}, provenance: { engine: 'storyboard', seed: 42, prompt: `prompt of ${id}` }, feedback: '', reviewed_at: null }))
  })

  function mountLightbox(items = [asset(1), asset(2), asset(3, { kind: 'video', mime: 'video/mp4' })], hasMore = false) {
    const index = ref<number | null>(0)
    const wrapper = mount(AssetLightbox, {
      attachTo: document.body,
      props: {
        items,
        hasMore,
        canJudge: true,
        index: index.value,
        'onUpdate:index': (next: number | null) => {
          index.value = next
          void wrapper.setProps({ index: next })
        },
      },
    })
    return { wrapper, index }
  }

  it('← and → move, Esc closes', async () => {
    const { wrapper, index } = mountLightbox()
    await flushPromises()
    expect(document.body.textContent).toContain('prompt of 1')
    press('ArrowRight')
    await flushPromises()
    expect(index.value).toBe(1)
    expect(document.body.textContent).toContain('prompt of 2')
    press('ArrowRight')
    press('ArrowRight') // the last one: stays
    await flushPromises()
    expect(index.value).toBe(2)
    expect(document.querySelector('[data-testid="lightbox-video"]')).not.toBeNull()
    press('ArrowLeft')
    await flushPromises()
    expect(index.value).toBe(1)
    press('Escape')
    await flushPromises()
    expect(index.value).toBeNull()
    expect(document.querySelector('[data-testid="lightbox"]')).toBeNull()
    wrapper.unmount()
  })

  it('A and R judge images, never videos', async () => {
    const { wrapper, index } = mountLightbox()
    await flushPromises()
    press('a')
    index.value = 2
    await wrapper.setProps({ index: 2 })
    press('r')
    await wrapper.setProps({ index: 1 })
    press('r')
    const judged = (wrapper.emitted('judge') ?? []).map(([item, approved]) => [(item as { id: number }).id, approved])
    expect(judged).toEqual([
      [1, true],
      [2, false],
    ])
    wrapper.unmount()
  })

  it('asks for the next page near the end', async () => {
    const { wrapper } = mountLightbox([asset(1), asset(2)], true)
    press('ArrowRight')
    expect(wrapper.emitted('loadMore')).toHaveLength(1)
    wrapper.unmount()
  })
})
