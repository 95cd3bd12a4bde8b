import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import EnginesIndicator from '@/features/engines/EnginesIndicator.vue'
import { parseEngines, parseGpu } from '@/features/engines/api'
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

  it('shows the GPU backends, with queue and VRAM, when the studio has some', async () => {
    const GiB = 1024 ** 3
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url.endsWith('/gpu/status')
          ? new Response(JSON.stringify({ scheduler: 'queue', runs: {}, backends: [{ url: 'http://gpu-1:8188', reachable: true, running: 1, queued: 2, waiting_in_queue: 1, vram_total: 12 * GiB, vram_free: 3 * GiB, device: 'RTX 3060' }] }))
          : new Response(JSON.stringify({ engines: [{ kind: 'image', name: 'comfyui', reachable: true, detail: '1 of 1 backends ready' }] })),
      ),
    )
    const wrapper = mount(EnginesIndicator, { attachTo: document.body })
    await flushPromises()
    await wrapper.get('[data-testid="engines-indicator"]').trigger('click')
    await flushPromises()
    const gpu = wrapper.get('[data-testid="gpu-status"]')
    expect(gpu.text()).toContain('http://gpu-1:8188')
    expect(gpu.text()).toContain('1 running · 3 queued')
    expect(gpu.text()).toContain('9.0 GiB / 12.0 GiB')
    expect(gpu.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('75')
    wrapper.unmount()
  })

  it('says when no GPU backend is configured', () => {
    expect(parseGpu({ scheduler: 'none', backends: [], note: 'embedded engines' })).toEqual({ scheduler: 'none', backends: [], note: 'embedded engines' })
    expect(parseGpu('nonsense').backends).toEqual([])
  })

  it('parses only well-formed entries', () => {
    expect(parseEngines({ engines: [{ kind: 'tts', name: 'espeak', reachable: true, models: ['en-us', 3] }, { name: 'x' }] })).toEqual([
      { kind: 'tts', name: 'espeak', reachable: true, detail: '', models: ['en-us'], extra: {} },
    ])
    expect(parseEngines('nonsense')).toEqual([])
  })
})
