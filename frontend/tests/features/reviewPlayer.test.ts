/** The review player: frame arithmetic, keys, threads; comments at the current time; approve from the keyboard. */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ReviewRead } from '@/api/types'

vi.mock('@/features/review/api', () => ({
  getReview: vi.fn(), setStatus: vi.fn(), restoreVersion: vi.fn(), listComments: vi.fn(), addComment: vi.fn(),
  markRead: vi.fn(), regenerateShot: vi.fn(),
}))

const reviewApi = await import('@/features/review/api')
const { frameAt, keyAction, stepFrame, thread, timecodeLabel, timeOfFrame } = await import('@/features/review/player')
const { useAuthStore } = await import('@/features/auth/store')
const { resetEventStream } = await import('@/composables/useEventStream')
const { default: ReviewPlayer } = await import('@/features/review/ReviewPlayer.vue')

const version = (id: number, number: number) => ({
  id, subject_type: 'scene', subject_id: 5, number, path: `v${number}.mp4`, size_bytes: 1, duration: 3, fps: 12,
  engine: 'kenburns', seed: 1, lora_version: null, provenance: {}, run_id: 1, created_by: 1, created_at: '', purged_at: null,
  file_url: `/api/lora/review/versions/${id}/file`,
})
const review: ReviewRead = {
  subject_type: 'scene', subject_id: 5, status: 'in_review', reason: '', current_version_id: 11, approved_version_id: null,
  changed_by: 1, changed_at: '', versions: [version(10, 1), version(11, 2)], history: [],
}

describe('frame arithmetic', () => {
  it('counts frames like the server and steps to the middle of the neighbouring frame', () => {
    expect(frameAt(2, 12)).toBe(24)
    expect(frameAt(1.99, 12)).toBe(23)
    expect(timeOfFrame(24, 12, 3)).toBeCloseTo(24.5 / 12)
    expect(frameAt(stepFrame(2, 12, 1, 3), 12)).toBe(25)
    expect(frameAt(stepFrame(2, 12, -1, 3), 12)).toBe(23)
    expect(frameAt(stepFrame(0, 12, -1, 3), 12)).toBe(0) // never before the first frame
    expect(frameAt(stepFrame(2.99, 12, 1, 3), 12)).toBe(35) // nor after the last one
    expect(timecodeLabel(62.5, 12)).toBe('01:02.500 · f750')
  })

  it('maps keys unless the user is typing', () => {
    const key = (k: string) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false })
    expect(keyAction(key('a'), false)).toBe('approve')
    expect(keyAction(key('.'), false)).toBe('forward')
    expect(keyAction(key('a'), true)).toBeNull()
    expect(keyAction({ ...key('r'), ctrlKey: true }, false)).toBeNull()
  })

  it('nests replies under their parents', () => {
    const rows = [{ id: 1, parent_id: null }, { id: 2, parent_id: null }, { id: 3, parent_id: 1 }]
    expect(thread(rows).map((r) => [r.comment.id, r.depth])).toEqual([[1, 0], [3, 1], [2, 0]])
  })
})

describe('ReviewPlayer', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.clearAllMocks()
    resetEventStream()
    useAuthStore().user = { id: 2, username: 'rita', role: 'reviewer', is_active: true, created_at: '', last_login_at: null }
    vi.mocked(reviewApi.getReview).mockResolvedValue(review)
    vi.mocked(reviewApi.listComments).mockResolvedValue([])
    vi.mocked(reviewApi.markRead).mockResolvedValue()
  })

  async function player() {
    const wrapper = mount(ReviewPlayer, { props: { subjects: [{ type: 'scene', id: 5, label: 'Whole scene' }] }, attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('plays the current version and comments at the current time', async () => {
    vi.mocked(reviewApi.addComment).mockResolvedValue({} as never)
    const wrapper = await player()
    const video = wrapper.get('[data-testid="review-video"]')
    expect(video.attributes('src')).toContain('/api/lora/review/versions/11/file')
    ;(video.element as HTMLVideoElement).currentTime = 2
    await video.trigger('seeked')
    await wrapper.get('[data-testid="review-comment-input"]').setValue('@eddie the sky flickers')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(reviewApi.addComment).toHaveBeenCalledWith(11, '@eddie the sky flickers', 2)
    expect(reviewApi.markRead).toHaveBeenCalledWith(11)
    wrapper.unmount()
  })

  it('approves from the keyboard and refuses a retake without a reason', async () => {
    vi.mocked(reviewApi.setStatus).mockResolvedValue({ ...review, status: 'approved', approved_version_id: 11 })
    const wrapper = await player()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'r' }))
    await flushPromises()
    expect(reviewApi.setStatus).not.toHaveBeenCalled()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    await flushPromises()
    expect(reviewApi.setStatus).toHaveBeenCalledWith('scene', 5, 'approved', '')
    expect(wrapper.get('[data-testid="review-status"]').text()).toBe('Approved')
    wrapper.unmount()
  })

  it('compares two versions with a wipe', async () => {
    const wrapper = await player()
    await wrapper.get('[data-testid="review-compare"]').setValue('10')
    const other = wrapper.get('[data-testid="review-compare-video"]')
    expect(other.attributes('src')).toContain('/versions/10/file')
    await wrapper.get('select[aria-label="Comparison"]').setValue('wipe')
    expect(wrapper.get('[data-testid="review-compare-video"]').attributes('style')).toContain('inset(0 0 0 50%)')
    wrapper.unmount()
  })
})
