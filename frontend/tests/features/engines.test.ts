import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import EnginesIndicator from '@/features/engines/EnginesIndicator.vue'
import { parseEngines } from '@/features/engines/api'
import { useEnginesStore } from '@/features/engines/store'

function respond(status: number, body: unknown): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })))
}

describe('engines indicator', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  it('stays hidden on a server without GET /api/lora/engines', async () => {
    respond(404, { detail: 'no API route at /api/lora/engines' })
    const wrapper = mount(EnginesIndicator)
    await flushPromises()
    expect(useEnginesStore().supported).toBe(false)
    expect(wrapper.find('[data-testid="engines-indicator"]').exists()).toBe(false)
  })

  it('shows how many engines are reachable', async () => {
    respond(200, [
      { kind: 'image', name: 'storyboard', reachable: true, detail: 'Pillow renderer' },
      { kind: 'video', name: 'framepack', reachable: false, detail: 'ComfyUI at http://gpu:8188 refused the connection' },
    ])
    const wrapper = mount(EnginesIndicator, { attachTo: document.body })
    await flushPromises()
    const button = wrapper.get('[data-testid="engines-indicator"]')
    expect(button.text()).toContain('1/2')
    await button.trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('refused the connection')
    wrapper.unmount()
  })

  it('parses only well-formed entries', () => {
    expect(parseEngines({ engines: [{ kind: 'tts', name: 'espeak', reachable: true, models: ['en-us', 3] }, { name: 'x' }] })).toEqual([
      { kind: 'tts', name: 'espeak', reachable: true, detail: '', models: ['en-us'], extra: {} },
    ])
    expect(parseEngines('nonsense')).toEqual([])
  })
})
