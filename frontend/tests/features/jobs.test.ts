import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useToasts } from '@/components/toast'
import { resetEventStream } from '@/composables/useEventStream'
import JobTray from '@/features/jobs/JobTray.vue'
import type { StudioEvent, StudioEventName } from '@/features/jobs/events'
import { FINISHED_LINGER_MS, applyRunEvent, humanKind, useJobsStore } from '@/features/jobs/store'

let at = 0
function event(name: StudioEventName, data: Record<string, unknown>): StudioEvent {
  at += 1
  return { id: `e${at}`, name, data: data as never, at }
}

describe('applyRunEvent', () => {
  it('merges partial updates into one run', () => {
    let run = applyRunEvent(undefined, event('run.queued', { run_id: 5, kind: 'image_generation', subject: 'Mika' }))
    expect(run).toMatchObject({ id: '5', status: 'queued', progress: null, kind: 'image_generation', subject: 'Mika' })
    run = applyRunEvent(run, event('run.progress', { run_id: 5, progress: 0.4, message: 'step 10/25' }))
    expect(run).toMatchObject({ status: 'running', progress: 0.4, message: 'step 10/25', subject: 'Mika' })
    run = applyRunEvent(run, event('run.progress', { run_id: 5, progress: 7 }))
    expect(run.progress).toBe(1)
  })

  it('decides the outcome of run.finished', () => {
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1 })).status).toBe('succeeded')
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1, error: 'GPU out of memory' })).status).toBe('failed')
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1, status: 'cancelled' })).status).toBe('cancelled')
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1 })).progress).toBe(1)
  })

  it('names kinds for people', () => {
    expect(humanKind('image_generation')).toBe('Image generation')
    expect(humanKind('')).toBe('Job')
  })
})

describe('jobs store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    resetEventStream()
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    resetEventStream()
  })

  it('lists active runs and toasts when they finish', () => {
    const jobs = useJobsStore()
    const toasts = useToasts()
    jobs.receive(event('run.started', { run_id: 'a', kind: 'training', subject: 'Pip' }))
    jobs.receive(event('run.progress', { run_id: 'b', kind: 'scene_render', progress: 0.2 }))
    expect(jobs.active.map((r) => r.id)).toEqual(['a', 'b'])

    jobs.receive(event('run.finished', { run_id: 'a', error: 'dataset has 3 approved images; 10 needed' }))
    expect(jobs.active.map((r) => r.id)).toEqual(['b'])
    expect(toasts.items.at(-1)).toMatchObject({ kind: 'error', title: 'Training: Pip failed', message: 'dataset has 3 approved images; 10 needed' })

    jobs.receive(event('run.finished', { run_id: 'b', message: 'scene.mp4 ready' }))
    expect(toasts.items.at(-1)).toMatchObject({ kind: 'success', title: 'Scene render finished' })

    // A late progress event does not resurrect a finished run.
    jobs.receive(event('run.progress', { run_id: 'b', progress: 0.9 }))
    expect(jobs.active).toHaveLength(0)

    vi.advanceTimersByTime(FINISHED_LINGER_MS + 10)
    expect(Object.keys(jobs.runs)).toEqual([])
  })

  it('ignores events without a run id', () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.started', { kind: 'x' }))
    expect(jobs.recent).toHaveLength(0)
  })

  it('shows progress bars in the tray', async () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.progress', { run_id: 1, kind: 'image_generation', subject: 'Mika', progress: 0.42 }))
    jobs.receive(event('run.queued', { run_id: 2, kind: 'video' }))
    const wrapper = mount(JobTray, { attachTo: document.body })
    expect(wrapper.get('[data-testid="job-tray"]').attributes('aria-label')).toBe('2 jobs running')
    await wrapper.get('[data-testid="job-tray"]').trigger('click')
    const items = wrapper.findAll('[data-job]')
    expect(items).toHaveLength(2)
    const bar = wrapper.get('[role="progressbar"][aria-valuenow="42"]')
    expect(bar.find('div').attributes('style')).toContain('width: 42%')
    expect(wrapper.text()).toContain('Queued')
    wrapper.unmount()
  })
})
