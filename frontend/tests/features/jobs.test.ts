import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useToasts } from '@/components/toast'
import { resetEventStream } from '@/composables/useEventStream'
import { run } from '../support/fixtures'
import { studioEvent as event } from '../support/events'

vi.mock('@/features/jobs/api', () => ({ listActiveRuns: vi.fn(), listFinishedRuns: vi.fn(), getRun: vi.fn(), cancelRun: vi.fn(), retryRun: vi.fn() }))
const jobsApi = await import('@/features/jobs/api')
const { default: JobTray } = await import('@/features/jobs/JobTray.vue')
const { FINISHED_LINGER_MS, applyRunEvent, humanKind, useJobsStore } = await import('@/features/jobs/store')
const { subjectLabel, subjectLink } = await import('@/features/jobs/subject')
const { useAuthStore } = await import('@/features/auth/store')

const editor = { id: 1, username: 'e', role: 'editor' as const, is_active: true, created_at: '', last_login_at: null }

describe('applyRunEvent', () => {
  it('merges partial updates into one run', () => {
    let state = applyRunEvent(undefined, event('run.queued', { run_id: 5, kind: 'image_generation', subject: 'Mika' }))
    expect(state).toMatchObject({ id: '5', status: 'queued', progress: null, kind: 'image_generation', subject: 'Mika' })
    state = applyRunEvent(state, event('run.progress', { run_id: 5, progress: 0.4, message: 'step 10/25' }))
    expect(state).toMatchObject({ status: 'running', progress: 0.4, message: 'step 10/25', subject: 'Mika' })
    state = applyRunEvent(state, event('run.progress', { run_id: 5, progress: 7 }))
    expect(state.progress).toBe(1)
  })

  it('decides the outcome of run.finished', () => {
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1 })).status).toBe('succeeded')
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1, error: 'GPU out of memory' })).status).toBe('failed')
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1, status: 'cancelled' })).status).toBe('cancelled')
    expect(applyRunEvent(undefined, event('run.finished', { run_id: 1 })).progress).toBe(1)
  })

  it('names kinds for people', () => {
    expect(humanKind('image_generation')).toBe('Image generation')
    expect(humanKind('scene.generate')).toBe('Scene generation')
    expect(humanKind('episode.publish')).toBe('Publishing')
    expect(humanKind('')).toBe('Job')
  })
})

describe('run subjects', () => {
  const names = { character: (id: number) => (id === 2 ? 'Pip' : undefined), scene: () => undefined, episode: () => 'Pilot' }
  const base = applyRunEvent(undefined, event('run.queued', { run_id: 1, kind: 'scene.generate', project_id: 7, subject_type: 'scene', subject_id: 4 }))

  it('links to the page of the subject', () => {
    expect(subjectLink(base)).toEqual({ name: 'scenes', params: { projectId: '7', sceneId: '4' } })
    expect(subjectLink({ ...base, subjectType: 'character', subjectId: 2 })).toEqual({ name: 'generate', params: { projectId: '7', characterId: '2' } })
    expect(subjectLink({ ...base, subjectType: 'episode', subjectId: 9 })).toEqual({ name: 'episodes', params: { projectId: '7', episodeId: '9' } })
    expect(subjectLink({ ...base, subjectType: 'dataset' })).toBeNull()
    expect(subjectLink({ ...base, projectId: null })).toBeNull()
  })

  it('names the subject, or says what it is', () => {
    expect(subjectLabel({ ...base, subjectType: 'character', subjectId: 2 }, names)).toBe('Pip')
    expect(subjectLabel(base, names)).toBe('scene 4')
    expect(subjectLabel({ ...base, subject: 'Harbour' }, names)).toBe('Harbour')
  })
})

describe('jobs store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    resetEventStream()
    vi.clearAllMocks()
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    resetEventStream()
  })

  it('lists active runs, toasts when they finish, and keeps failed ones for a retry', () => {
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
    expect(Object.keys(jobs.runs)).toEqual(['a'])
    expect(jobs.failed.map((r) => r.id)).toEqual(['a'])
    jobs.forget('a')
    expect(Object.keys(jobs.runs)).toEqual([])
  })

  it('reopens a failed run when it is retried (run.queued)', () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.finished', { run_id: 3, kind: 'scene.generate', status: 'failed', error: 'ffmpeg crashed' }))
    jobs.receive(event('run.queued', { run_id: 3, status: 'queued', progress: 0, message: 'waiting for a worker' }))
    expect(jobs.runs['3']).toMatchObject({ status: 'queued', error: '', message: 'waiting for a worker' })
    expect(jobs.active.map((r) => r.id)).toEqual(['3'])
  })

  it('ignores events without a run id', () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.started', { kind: 'x' }))
    expect(jobs.recent).toHaveLength(0)
  })

  it('loads what is queued or running and re-reads runs that ended while we were away', async () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.started', { run_id: 9, kind: 'scene.generate' }))
    vi.mocked(jobsApi.listActiveRuns).mockResolvedValue({ items: [run(10, { status: 'running', progress: 0.5 })], total: 1, limit: 50, offset: 0 })
    vi.mocked(jobsApi.getRun).mockResolvedValue(run(9, { status: 'succeeded', progress: 1, updated_at: '2099-01-01T00:00:00Z' }))
    await jobs.loadActive()
    expect(jobs.runs['10']).toMatchObject({ status: 'running', progress: 0.5, subjectType: 'scene', subjectId: 1 })
    expect(jobs.runs['9']?.status).toBe('succeeded')
    expect(jobsApi.getRun).toHaveBeenCalledWith(9)
  })

  it('keeps the newer state when an event overtook the HTTP answer', () => {
    const jobs = useJobsStore()
    jobs.receive({ ...event('run.finished', { run_id: 4, status: 'succeeded' }), at: Date.parse('2026-01-01T00:00:05Z') / 1000 })
    jobs.merge(run(4, { status: 'queued', updated_at: '2026-01-01T00:00:01Z' }))
    expect(jobs.runs['4']?.status).toBe('succeeded')
  })

  it('cancels and retries through the API', async () => {
    const jobs = useJobsStore()
    vi.mocked(jobsApi.cancelRun).mockResolvedValue(run(5, { status: 'running', message: 'cancelling…', updated_at: '2026-01-02T00:00:00Z' }))
    await jobs.cancel('5')
    expect(jobsApi.cancelRun).toHaveBeenCalledWith(5)
    expect(jobs.runs['5']?.message).toBe('cancelling…')
    vi.mocked(jobsApi.retryRun).mockResolvedValue(run(5, { status: 'queued', updated_at: '2026-01-03T00:00:00Z' }))
    await jobs.retry('5')
    expect(jobs.runs['5']?.status).toBe('queued')
  })
})

describe('job tray', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    resetEventStream()
    vi.clearAllMocks()
    vi.mocked(jobsApi.listActiveRuns).mockResolvedValue({ items: [], total: 0, limit: 50, offset: 0 })
    vi.mocked(jobsApi.listFinishedRuns).mockResolvedValue({ items: [], total: 0, limit: 20, offset: 0 })
    // Re-reads of runs the event stream already knows return an older state (the events win).
    vi.mocked(jobsApi.getRun).mockImplementation(async (id) => run(id, { status: 'running', updated_at: '1970-01-01T00:00:00Z' }))
  })

  function mountTray() {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', name: 'any', component: { template: '<div />' } }, { path: '/s/:projectId/:sceneId?', name: 'scenes', component: { template: '<div />' } }] })
    return mount(JobTray, { attachTo: document.body, global: { plugins: [router] } })
  }

  it('shows progress bars', async () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.progress', { run_id: 1, kind: 'image_generation', subject: 'Mika', progress: 0.42 }))
    jobs.receive(event('run.queued', { run_id: 2, kind: 'video' }))
    const wrapper = mountTray()
    expect(wrapper.get('[data-testid="job-tray"]').attributes('aria-label')).toBe('2 jobs running')
    await wrapper.get('[data-testid="job-tray"]').trigger('click')
    expect(wrapper.findAll('[data-job]')).toHaveLength(2)
    const bar = wrapper.get('[role="progressbar"][aria-valuenow="42"]')
    expect(bar.find('div').attributes('style')).toContain('width: 42%')
    expect(wrapper.text()).toContain('Queued')
    wrapper.unmount()
  })

  it('offers cancel for running jobs, retry for failed ones, and links to the subject', async () => {
    useAuthStore().user = editor
    const jobs = useJobsStore()
    jobs.receive(event('run.started', { run_id: 7, kind: 'scene.generate', project_id: 1, subject_type: 'scene', subject_id: 3 }))
    jobs.receive(event('run.finished', { run_id: 8, kind: 'episode.assemble', error: 'no scenes with video' }))
    vi.mocked(jobsApi.cancelRun).mockResolvedValue(run(7, { status: 'running', message: 'cancelling…', updated_at: '2099-01-01T00:00:00Z' }))
    vi.mocked(jobsApi.retryRun).mockResolvedValue(run(8, { kind: 'episode.assemble', status: 'queued', updated_at: '2099-01-01T00:00:00Z' }))
    const wrapper = mountTray()
    await flushPromises()
    expect(wrapper.get('[data-testid="job-tray"]').attributes('aria-label')).toBe('1 job running, 1 failed')
    await wrapper.get('[data-testid="job-tray"]').trigger('click')

    const running = wrapper.findAll('[data-job]').find((item) => item.text().includes('Scene generation'))!
    expect(running.get('a').attributes('href')).toBe('/s/1/3')
    expect(running.text()).toContain('scene 3')
    await running.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click')
    await flushPromises()
    expect(jobsApi.cancelRun).toHaveBeenCalledWith(7)

    const failed = wrapper.findAll('[data-job]').find((item) => item.text().includes('Episode assembly'))!
    expect(failed.text()).toContain('no scenes with video')
    await failed.findAll('button').find((b) => b.text() === 'Retry')!.trigger('click')
    await flushPromises()
    expect(jobsApi.retryRun).toHaveBeenCalledWith(8)
    expect(jobs.runs['8']?.status).toBe('queued')
    wrapper.unmount()
  })
})

describe('job history', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    resetEventStream()
    vi.clearAllMocks()
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    resetEventStream()
  })

  it('keeps finished runs after they leave the live list, and reads earlier ones from the server', async () => {
    const jobs = useJobsStore()
    jobs.receive(event('run.started', { run_id: 3, kind: 'scene.generate', subject: 'Pier' }))
    jobs.receive(event('run.finished', { run_id: 3, kind: 'scene.generate', subject: 'Pier' }))
    vi.advanceTimersByTime(FINISHED_LINGER_MS + 10)
    expect(Object.keys(jobs.runs)).toEqual([])
    expect(jobs.history.map((r) => [r.id, r.status])).toEqual([['3', 'succeeded']])

    vi.mocked(jobsApi.listFinishedRuns).mockResolvedValue({
      items: [run(1, { kind: 'episode.assemble', status: 'failed', updated_at: '2026-01-01T00:00:00Z' })],
      total: 1,
      limit: 20,
      offset: 0,
    })
    await jobs.loadHistory()
    expect(jobs.history.map((r) => r.id).sort()).toEqual(['1', '3'])
  })

  it('shows the history in the tray when it opens', async () => {
    vi.useRealTimers()
    vi.mocked(jobsApi.listActiveRuns).mockResolvedValue({ items: [], total: 0, limit: 50, offset: 0 })
    vi.mocked(jobsApi.listFinishedRuns).mockResolvedValue({
      items: [run(4, { kind: 'scene.generate', status: 'succeeded', updated_at: '2026-01-01T10:00:00Z' })],
      total: 1,
      limit: 20,
      offset: 0,
    })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', name: 'any', component: { template: '<div />' } }] })
    const wrapper = mount(JobTray, { attachTo: document.body, global: { plugins: [router] } })
    await wrapper.get('[data-testid="job-tray"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-history-job]')).toHaveLength(1)
    expect(wrapper.get('[data-testid="job-history"]').text()).toContain('Scene generation')
    wrapper.unmount()
  })
})
