/** Echo Brain in the UI: the answer stream is read frame by frame, citations open their items, the enhance diff applies. */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('@/features/echo/api', async (original) => ({ ...(await original<object>()), enhancePrompt: vi.fn() }))

const echoApi = await import('@/features/echo/api')
const { citationRoute } = await import('@/features/echo/citation')
const { default: EnhanceButton } = await import('@/features/echo/EnhanceButton.vue')

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
}

const hana = { kind: 'character', id: 7, title: 'Hana', link: { kind: 'character', id: 7, route: 'characters', params: { characterId: 7 } } }
const stored = { id: 2, role: 'assistant', content: 'Hana fears storms [1].', citations: [hana], engine: 'ollama', created_at: '', actions: [] }

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
})

describe('the answer stream', () => {
  it('hands over sources and text as they arrive, across chunk boundaries, and returns the stored message', async () => {
    const frames = [
      `event: sources\ndata: ${JSON.stringify([hana])}\n\n`,
      `event: delta\ndata: {"text": "Hana fears "}\n\n`,
      `event: delta\ndata: {"text": "storms [1]."}\n\n`,
      `event: message\ndata: ${JSON.stringify(stored)}\n\n`,
    ].join('')
    const seen: string[] = []
    const sources = vi.fn()
    const message = await echoApi.readAnswer(streamOf([frames.slice(0, 30), frames.slice(30, 95), frames.slice(95)]), { sources, delta: (t) => seen.push(t) })
    expect(sources).toHaveBeenCalledWith([hana])
    expect(seen.join('')).toBe('Hana fears storms [1].')
    expect(message).toEqual(stored)
  })

  it('turns an error frame into an error with its detail', async () => {
    const body = streamOf([`event: sources\ndata: []\n\nevent: error\ndata: {"detail": "the language engine 'ollama' failed"}\n\n`])
    await expect(echoApi.readAnswer(body, { delta: () => undefined })).rejects.toThrow("the language engine 'ollama' failed")
  })

  it('fails clearly when the stream ends without the stored message', async () => {
    await expect(echoApi.readAnswer(streamOf([`event: delta\ndata: {"text": "Hana"}\n\n`]), { delta: () => undefined })).rejects.toThrow('ended before')
  })
})

describe('citations', () => {
  it('open the cited item in the open project', () => {
    expect(citationRoute(hana, 3)).toEqual({ name: 'characters', params: { projectId: '3', characterId: '7' } })
    expect(citationRoute({ ...hana, link: { route: 'javascript:alert(1)', params: {} } }, 3)).toBeNull()
  })
})

describe('the enhance button', () => {
  it('shows the diff and applies the enhanced prompt only on Apply', async () => {
    vi.mocked(echoApi.enhancePrompt).mockResolvedValue({
      original: '1girl, red scarf',
      enhanced: '1girl, red scarf, rim lighting',
      diff: [
        { op: 'keep', text: '1girl' },
        { op: 'keep', text: 'red scarf' },
        { op: 'add', text: 'rim lighting' },
      ],
      engine: 'rules',
      left_to_style: ['masterpiece'],
    })
    const wrapper = mount(EnhanceButton, { props: { modelValue: '1girl, red scarf', field: 'design', projectId: 3 }, attachTo: document.body })
    await wrapper.get('[data-testid="enhance-prompt"]').trigger('click')
    await flushPromises()
    expect(echoApi.enhancePrompt).toHaveBeenCalledWith(3, 'design', '1girl, red scarf')
    expect(document.querySelector('[data-op="add"]')?.textContent).toBe('rim lighting')
    expect(document.body.textContent).toContain('masterpiece')
    expect(wrapper.emitted('update:modelValue')).toBeUndefined()
    ;(document.querySelector('[data-testid="apply-enhanced"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['1girl, red scarf, rim lighting'])
    wrapper.unmount()
  })
})
