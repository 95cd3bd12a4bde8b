import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resetEventStream } from '@/composables/useEventStream'
import { useAuthStore } from '@/features/auth/store'
import type { LoopStatus, Readiness } from '@/features/autonomy/api'
import { emit } from '../support/events'

vi.mock('@/features/autonomy/api', () => ({
  loopStatus: vi.fn(),
  readiness: vi.fn(),
  toggleLoop: vi.fn(),
  setTarget: vi.fn(),
  saveGuards: vi.fn(),
}))
const loopApi = await import('@/features/autonomy/api')
const { default: ReplenishmentPanel } = await import('@/features/autonomy/ReplenishmentPanel.vue')

const SETTINGS = { enabled: true, cooldown_seconds: 60, daily_limit: 10, max_consecutive_rejects: 5, pending_buffer: 3, max_concurrent: 2, batch_size: 3 }

function loopCharacter(id: number, slug: string, state: string, reason: string, today = 0) {
  return {
    character_id: id, name: slug, slug, project_id: 1, project_name: 'Show', active: true, use_learned_parameters: false,
    target: 20, approved: 4, pending: 0, generated_today: today, reject_streak: 0, batch_in_flight: false, cooldown_left: 0, state, reason,
  }
}

function status(characters: ReturnType<typeof loopCharacter>[], enabled = true): LoopStatus {
  return {
    enabled, settings: { ...SETTINGS, enabled }, daily_counts: {},
    active_tasks: [{ batch_id: 1, character_id: 1, character_name: 'hana', size: 3, step: 'generate', run_id: 9 }],
    characters,
  }
}

function ready(): Readiness {
  const item = (id: number, slug: string, projectId = 1) => ({
    character_id: id, name: slug, slug, project_id: projectId, project_name: 'Show', target: 20, approved: 4, pending: 1, rejected: 0,
    progress: 0.2, ready: false, replenishing: true,
  })
  return { project_name: null, ready: 0, total: 3, characters: [item(1, 'hana'), item(2, 'pip'), item(3, 'elsewhere', 2)] }
}

async function mounted() {
  const wrapper = mount(ReplenishmentPanel, { props: { projectId: 1 } })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  setActivePinia(createPinia())
  resetEventStream()
  vi.clearAllMocks()
  useAuthStore().user = { id: 1, username: 'eddie', role: 'editor', is_active: true } as never
  vi.mocked(loopApi.readiness).mockResolvedValue(ready())
})
afterEach(() => vi.useRealTimers())

describe('replenishment panel', () => {
  it('says why each character of the project waits, with daily counts and the running batch', async () => {
    vi.mocked(loopApi.loopStatus).mockResolvedValue(
      status([loopCharacter(1, 'hana', 'paused', '5 rejects in a row', 5), loopCharacter(2, 'pip', 'waiting', 'cooldown 42 s', 3)]),
    )
    const wrapper = await mounted()
    const reasons = wrapper.findAll('[data-testid="reason"]').map((r) => r.text())
    expect(reasons).toEqual(['5 rejects in a row', 'cooldown 42 s'])
    expect(wrapper.find('[data-character="elsewhere"]').exists()).toBe(false)
    expect(wrapper.get('[data-character="hana"]').text()).toContain('5 / 10')
    expect(wrapper.get('[data-testid="loop-tasks"]').text()).toContain('hana: 3 image(s), generating')
    expect(wrapper.get('[data-testid="loop-state"]').text()).toBe('on')
  })

  it('refreshes live when the event stream reports loop activity', async () => {
    vi.mocked(loopApi.loopStatus).mockResolvedValueOnce(status([loopCharacter(1, 'hana', 'generate', 'generating 3')]))
    const wrapper = await mounted()
    vi.mocked(loopApi.loopStatus).mockResolvedValue(status([loopCharacter(1, 'hana', 'paused', '3 pending to review')]))
    vi.useFakeTimers()
    emit('regeneration.queued', { character_id: 1, count: 3 })
    emit('image.approved', { asset_id: 5, character_id: 1 })
    await vi.advanceTimersByTimeAsync(400)
    await flushPromises()
    expect(loopApi.loopStatus).toHaveBeenCalledTimes(2)  // one refetch for the burst
    expect(wrapper.get('[data-testid="reason"]').text()).toBe('3 pending to review')
  })

  it('counts a cooldown down and looks again when it is over', async () => {
    vi.useFakeTimers({ now: 1_000_000, shouldAdvanceTime: false, toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] })
    const waiting = { ...loopCharacter(1, 'hana', 'waiting', 'cooldown 3 s'), cooldown_left: 3 }
    vi.mocked(loopApi.loopStatus).mockResolvedValue(status([waiting]))
    const wrapper = await mounted()
    expect(wrapper.get('[data-testid="reason"]').text()).toBe('cooldown 3 s')
    await vi.advanceTimersByTimeAsync(1000)
    expect(wrapper.get('[data-testid="reason"]').text()).toBe('cooldown 2 s')
    vi.mocked(loopApi.loopStatus).mockResolvedValue(status([loopCharacter(1, 'hana', 'generate', 'generating 3')]))
    await vi.advanceTimersByTimeAsync(2500)
    await flushPromises()
    expect(loopApi.loopStatus).toHaveBeenCalledTimes(2)
    expect(wrapper.get('[data-testid="reason"]').text()).toBe('generating 3')
  })

  it('toggles the loop, sets a target and saves guard settings', async () => {
    vi.mocked(loopApi.loopStatus).mockResolvedValue(status([loopCharacter(1, 'hana', 'off', 'loop is off')], false))
    vi.mocked(loopApi.toggleLoop).mockResolvedValue(status([], true))
    const wrapper = await mounted()
    await wrapper.get('[data-testid="loop-toggle"]').trigger('click')
    await flushPromises()
    expect(loopApi.toggleLoop).toHaveBeenCalledWith(true)
    const row = wrapper.get('[data-character="hana"]')
    await row.get('input').setValue(12)
    await row.get('form').trigger('submit')
    await flushPromises()
    expect(loopApi.setTarget).toHaveBeenCalledWith('hana', 12, 'Show')
    await wrapper.get('[data-testid="guards-toggle"]').trigger('click')
    await wrapper.get('input[name="cooldown_seconds"]').setValue(0)
    await wrapper.get('[data-testid="guards"]').trigger('submit')
    await flushPromises()
    expect(loopApi.saveGuards).toHaveBeenCalledWith(expect.objectContaining({ cooldown_seconds: 0, batch_size: 3 }))
  })

  it('shows a refused change as a message, not a crash', async () => {
    vi.mocked(loopApi.loopStatus).mockResolvedValue(status([loopCharacter(1, 'hana', 'off', 'loop is off')], false))
    vi.mocked(loopApi.toggleLoop).mockRejectedValue(new Error('only editors can do that'))
    const wrapper = await mounted()
    await wrapper.get('[data-testid="loop-toggle"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toContain('only editors')
  })
})
