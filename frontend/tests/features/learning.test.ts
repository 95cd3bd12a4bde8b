/** The Approve tab's learning panel: insights, drift warnings until dismissed, the auto-correction switch,
 * a manual correction of the focused rejected image, and original → corrected history; refreshed by events. */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resetEventStream } from '@/composables/useEventStream'
import type { Correction, DriftWarning, Insights } from '@/features/learning/api'
import { emit } from '../support/events'

vi.mock('@/features/learning/api', async (original) => ({
  ...(await original<object>()),
  getInsights: vi.fn(),
  listDriftWarnings: vi.fn(),
  dismissDriftWarning: vi.fn(),
  getAutoCorrection: vi.fn(),
  setAutoCorrection: vi.fn(),
  listCorrections: vi.fn(),
  requestCorrection: vi.fn(),
}))

const learningApi = await import('@/features/learning/api')
const { useAuthStore } = await import('@/features/auth/store')
const { default: LearningPanel } = await import('@/features/learning/LearningPanel.vue')

const rate = (dimension: string, value: string, approved: number, decided: number) => ({
  dimension, value, approved, decided, success_rate: approved / decided, mean_score: 0.7,
})
const insights: Insights = {
  character_id: 3, approved: 3, rejected: 3, pending: 1, approval_rate: 0.5, mean_score: 0.6,
  parameters: [rate('cfg', '9.0', 3, 3), rate('cfg', '5.0', 0, 3)],
  what_works: [rate('cfg', '9.0', 3, 3), rate('sampler', 'dpmpp_2m', 3, 3)],
  reject_reasons: [{ reason: 'blurry', count: 3 }],
  suggested: { cfg_scale: 9, steps: 32, sampler: 'dpmpp_2m', seed: 2000000001, prompt_additions: ['sitting'], negative_additions: ['blurry'] },
}
const warning: DriftWarning = {
  id: 7, project_id: 1, character_id: 3, metric: 'approval_rate', baseline: 1, recent: 0.2, window: 10,
  message: 'Hana: approval rate of the last 10 decisions is 20% against 100% before', created_at: '', dismissed_at: null,
}
const link = (id: number, status: string) => ({
  id, status, thumbnail_url: `/api/lora/assets/${id}/thumbnail?v=1`, file_url: `/api/lora/assets/${id}/file?v=1`, width: 768, height: 768, quality_score: 0.5,
})
const correction: Correction = {
  id: 1, character_id: 3, strategy: 'fix_brightness', reason: 'underexposed', status: 'done', detail: 'mean luminance 31 → 118',
  run_id: 4, original: link(10, 'rejected'), corrected: link(11, 'pending'), created_at: '',
}
const reviewer = { id: 2, username: 'rita', role: 'reviewer' as const, is_active: true, created_at: '', last_login_at: null }
const editor = { ...reviewer, id: 1, username: 'eddie', role: 'editor' as const }

function panel(image: { id: number; status: string } | null = null) {
  return mount(LearningPanel, { props: { characterId: 3, projectId: 1, image }, attachTo: document.body })
}

beforeEach(() => {
  setActivePinia(createPinia())
  resetEventStream()
  vi.clearAllMocks()
  useAuthStore().user = editor
  vi.mocked(learningApi.getInsights).mockResolvedValue(insights)
  vi.mocked(learningApi.listDriftWarnings).mockResolvedValue([warning])
  vi.mocked(learningApi.listCorrections).mockResolvedValue([correction])
  vi.mocked(learningApi.getAutoCorrection).mockResolvedValue(false)
})
afterEach(() => vi.useRealTimers())

describe('learning panel', () => {
  it('shows what works, the top reject reasons and the suggestions', async () => {
    const wrapper = panel()
    await flushPromises()
    expect(learningApi.getInsights).toHaveBeenCalledWith(3)
    expect(learningApi.getAutoCorrection).toHaveBeenCalledWith(1)
    const works = wrapper.get('[data-testid="what-works"]').text()
    expect(works).toContain('50% approved of 6 decided')
    expect(works).toContain('CFG 9.0 · 3/3 approved')
    expect(wrapper.get('[data-testid="reject-reasons-top"]').text()).toContain('blurry')
    const suggested = wrapper.get('[data-testid="suggested"]').text()
    expect(suggested).toContain('dpmpp_2m')
    expect(suggested).toContain('2000000001')
    expect(suggested).toContain('negative +blurry')
    wrapper.unmount()
  })

  it('keeps a drift warning until it is dismissed', async () => {
    vi.mocked(learningApi.dismissDriftWarning).mockResolvedValue({ ...warning, dismissed_at: 'now' })
    const wrapper = panel()
    await flushPromises()
    expect(wrapper.get('[data-testid="drift-warning"]').text()).toContain('20% against 100%')
    await wrapper.get('[data-testid="dismiss-drift"]').trigger('click')
    await flushPromises()
    expect(learningApi.dismissDriftWarning).toHaveBeenCalledWith(7)
    expect(wrapper.find('[data-testid="drift-warning"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('switches auto-correction for editors only', async () => {
    vi.mocked(learningApi.setAutoCorrection).mockResolvedValue(true)
    const wrapper = panel()
    await flushPromises()
    const toggle = wrapper.get('[data-testid="auto-correction"] [role="switch"]')
    expect(toggle.attributes('aria-checked')).toBe('false')
    await toggle.trigger('click')
    await flushPromises()
    expect(learningApi.setAutoCorrection).toHaveBeenCalledWith(1, true)
    expect(toggle.attributes('aria-checked')).toBe('true')
    wrapper.unmount()

    useAuthStore().user = reviewer
    const readonly = panel()
    await flushPromises()
    expect(readonly.get('[data-testid="auto-correction"] [role="switch"]').attributes('disabled')).toBeDefined()
    readonly.unmount()
  })

  it('lists corrections original → corrected and corrects the focused rejected image', async () => {
    vi.mocked(learningApi.requestCorrection).mockResolvedValue({ ...correction, id: 2, strategy: 'fix_solo', status: 'queued', corrected: null })
    const wrapper = panel({ id: 10, status: 'rejected' })
    await flushPromises()
    const row = wrapper.get('[data-testid="correction"]')
    expect(row.find('img[alt="original 10"]').attributes('src')).toContain('/api/lora/assets/10/thumbnail')
    expect(row.find('img[alt="corrected 11"]').attributes('src')).toContain('/api/lora/assets/11/thumbnail')
    expect(row.text()).toContain('brightness')
    expect(row.text()).toContain('mean luminance 31 → 118')
    await wrapper.get('select[aria-label="Strategy"]').setValue('fix_solo')
    await wrapper.get('[data-testid="correct-now"]').trigger('click')
    await flushPromises()
    expect(learningApi.requestCorrection).toHaveBeenCalledWith(10, 'fix_solo')
    expect(wrapper.findAll('[data-testid="correction"]')).toHaveLength(2)
    await wrapper.setProps({ image: { id: 12, status: 'pending' } })
    expect(wrapper.find('[data-testid="correct-focused"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('reloads on its character\'s drift and correction events, not on others\'', async () => {
    vi.useFakeTimers()
    const wrapper = panel()
    await vi.runAllTimersAsync()
    expect(learningApi.getInsights).toHaveBeenCalledTimes(1)
    emit('quality.drift', { character_id: 99, warning_id: 1 })
    await vi.advanceTimersByTimeAsync(400)
    expect(learningApi.getInsights).toHaveBeenCalledTimes(1)
    emit('quality.drift', { character_id: 3, warning_id: 8 })
    emit('run.finished', { run_id: 4, kind: 'correction.apply', subject_type: 'character', subject_id: 3, status: 'succeeded' })
    await vi.advanceTimersByTimeAsync(400)
    expect(learningApi.getInsights).toHaveBeenCalledTimes(2)
    wrapper.unmount()
  })
})
