/** The production stores: scenes (live monitor, reorder), episodes (reorder, refresh) and generation (results, approval). */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import type { Character, EpisodeDetail, SceneStatus } from '@/api/types'
import { resetEventStream } from '@/composables/useEventStream'
import { asset, run, scene, shot } from '../support/fixtures'
import { emit } from '../support/events'

vi.mock('@/features/scenes/api', async (original) => ({
  ...(await original<object>()),
  getScene: vi.fn(),
  sceneStatus: vi.fn(),
  reorderShots: vi.fn(),
  generateScene: vi.fn(),
  approvedImages: vi.fn(async () => []),
  createScenesFromPlans: vi.fn(),
  listScenes: vi.fn(async () => []),
}))
vi.mock('@/features/episodes/api', async (original) => ({ ...(await original<object>()), getEpisode: vi.fn(), reorderScenes: vi.fn(), listEpisodes: vi.fn() }))
vi.mock('@/features/assets/api', async (original) => ({ ...(await original<object>()), galleryPage: vi.fn(async () => ({ items: [], next_cursor: null })) }))
vi.mock('@/features/datasets/api', () => ({ judgeImages: vi.fn() }))
vi.mock('@/features/jobs/api', () => ({ listActiveRuns: vi.fn(), getRun: vi.fn(), cancelRun: vi.fn(), retryRun: vi.fn() }))

const scenesApi = await import('@/features/scenes/api')
const episodesApi = await import('@/features/episodes/api')
const assetsApi = await import('@/features/assets/api')
const datasetsApi = await import('@/features/datasets/api')
const { useScenesStore } = await import('@/features/scenes/store')
const { useEpisodesStore } = await import('@/features/episodes/store')
const { useGenerationStore } = await import('@/features/generation/store')
const { useAuthStore } = await import('@/features/auth/store')
const { default: GenerationResults } = await import('@/features/generation/GenerationResults.vue')

function status(fields: Partial<SceneStatus> = {}): SceneStatus {
  return { scene_id: 1, status: 'draft', total_shots: 2, completed_shots: 0, duration: null, output_path: null, run_id: null, run_status: null, progress: 0, message: '', shots: [], ...fields }
}

beforeEach(() => {
  setActivePinia(createPinia())
  resetEventStream()
  vi.clearAllMocks()
})
afterEach(() => vi.useRealTimers())

describe('scenes store', () => {
  async function openScene() {
    const scenes = useScenesStore()
    vi.mocked(scenesApi.getScene).mockResolvedValue(scene(1, [shot(11, 1), shot(12, 2)]))
    vi.mocked(scenesApi.sceneStatus).mockResolvedValue(status())
    await scenes.open(1)
    return scenes
  }

  it('shows each shot’s new state at once and refetches scores and attempts', async () => {
    vi.useFakeTimers()
    const scenes = await openScene()
    vi.mocked(scenesApi.sceneStatus).mockResolvedValue(
      status({ status: 'generating', run_id: 5, shots: [{ id: 11, position: 1, status: 'completed', quality_score: 0.82, attempts: 2, error: null, generation_time: 1.5 }] }),
    )
    emit('scene.updated', { scene_id: 1, status: 'generating', run_id: 5, shot_id: 11, shot_status: 'generating', position: 1 })
    expect(scenes.current?.status).toBe('generating')
    expect(scenes.shots.map((s) => s.status)).toEqual(['generating', 'pending'])
    expect(scenes.runId).toBe(5)
    expect(scenes.busy).toBe(true)

    await vi.advanceTimersByTimeAsync(200)
    expect(scenesApi.sceneStatus).toHaveBeenCalledTimes(2)
    expect(scenes.status?.shots[0]).toMatchObject({ quality_score: 0.82, attempts: 2 })

    // Another scene's update does not touch the open one.
    emit('scene.updated', { scene_id: 2, status: 'failed', shot_id: 12, shot_status: 'failed' })
    expect(scenes.shots.map((s) => s.status)).toEqual(['generating', 'pending'])
  })

  it('counts finished shots the same in the sidebar and the open scene while it regenerates', async () => {
    vi.useFakeTimers()
    const scenes = useScenesStore()
    const done = scene(1, [shot(11, 1, { status: 'completed' }), shot(12, 2, { status: 'completed' })])
    scenes.list = [{ ...done, total_shots: 2, completed_shots: 2 }]
    vi.mocked(scenesApi.getScene).mockResolvedValue(done)
    vi.mocked(scenesApi.sceneStatus).mockResolvedValue(status())
    await scenes.open(1)
    emit('scene.updated', { scene_id: 1, status: 'generating', run_id: 6, shot_id: 11, shot_status: 'generating', position: 1 })
    expect(scenes.current?.completed_shots).toBe(1)
    expect(scenes.list[0]?.completed_shots).toBe(1)
    emit('scene.updated', { scene_id: 1, status: 'generating', run_id: 6, shot_id: 11, shot_status: 'completed', position: 1 })
    expect([scenes.current?.completed_shots, scenes.list[0]?.completed_shots]).toEqual([2, 2])
  })

  it('follows the run it starts and reloads the scene when the run finishes', async () => {
    vi.useFakeTimers()
    const scenes = await openScene()
    vi.mocked(scenesApi.generateScene).mockResolvedValue(run(8, { subject_id: 1 }))
    await scenes.generate()
    expect(scenes.run).toMatchObject({ id: '8', status: 'queued' })
    emit('run.progress', { run_id: 8, kind: 'scene.generate', status: 'running', progress: 0.5, message: 'shot 2/2', subject_type: 'scene', subject_id: 1, project_id: 1 })
    expect(scenes.run).toMatchObject({ status: 'running', progress: 0.5, message: 'shot 2/2' })

    vi.mocked(scenesApi.getScene).mockResolvedValue(scene(1, [shot(11, 1, { status: 'completed' }), shot(12, 2, { status: 'completed' })], { status: 'completed', output_path: 'output/scenes/show/scene_1.mp4' }))
    emit('run.finished', { run_id: 8, kind: 'scene.generate', status: 'succeeded', subject_type: 'scene', subject_id: 1, project_id: 1 })
    await vi.advanceTimersByTimeAsync(200)
    expect(scenes.current?.output_path).toBe('output/scenes/show/scene_1.mp4')
    expect(scenes.busy).toBe(false)
  })

  it('reorders shots at once and rolls back when the server refuses', async () => {
    const scenes = await openScene()
    vi.mocked(scenesApi.reorderShots).mockResolvedValue([shot(12, 1), shot(11, 2)])
    await scenes.reorder([12, 11])
    expect(scenesApi.reorderShots).toHaveBeenCalledWith(1, [12, 11])
    expect(scenes.shots.map((s) => [s.id, s.position])).toEqual([
      [12, 1],
      [11, 2],
    ])

    vi.mocked(scenesApi.reorderShots).mockRejectedValue(new ApiError(409, 'scene 1 is busy'))
    await expect(scenes.reorder([11, 12])).rejects.toThrow('scene 1 is busy')
    expect(scenes.shots.map((s) => s.id)).toEqual([12, 11])
  })

  it('saves exactly the previewed plans in one request and reloads the list', async () => {
    const scenes = useScenesStore()
    await scenes.load(4)
    vi.mocked(scenesApi.listScenes).mockClear()
    const plan = {
      title: 'Rooftop', description: 'Mika waits.', location: 'roof', time_of_day: 'night', weather: 'rain', mood: 'tense',
      shots: [{ shot_type: 'close-up', camera_angle: 'low', description: '', motion_prompt: 'rain falls', duration: 2.5, characters: ['mika'], dialogue_character: 'mika', dialogue_text: 'Late again.' }],
    }
    vi.mocked(scenesApi.createScenesFromPlans).mockResolvedValue([scene(9, [])])
    const created = await scenes.savePlans([plan])
    expect(scenesApi.createScenesFromPlans).toHaveBeenCalledWith(4, [plan])
    expect(created.map((s) => s.id)).toEqual([9])
    expect(scenesApi.listScenes).toHaveBeenCalledWith(4)
  })
})

describe('episodes store', () => {
  function episode(order: number[], fields: Partial<EpisodeDetail> = {}): EpisodeDetail {
    return {
      id: 3, project_id: 1, number: 1, season: 1, title: 'Pilot', description: '', story_arc: '', status: 'draft',
      output_path: null, thumbnail_path: null, publish_path: null, duration: null, published_at: null,
      created_at: '', updated_at: 'v1', scene_count: order.length,
      scenes: order.map((id, i) => ({ scene_id: id, position: i + 1, title: `Scene ${id}`, status: 'completed', duration: 2, has_video: true })),
      ...fields,
    }
  }

  it('sends the new scene order and rolls back on failure', async () => {
    const episodes = useEpisodesStore()
    vi.mocked(episodesApi.getEpisode).mockResolvedValue(episode([5, 6, 7]))
    await episodes.open(3)
    vi.mocked(episodesApi.reorderScenes).mockResolvedValue(episode([7, 5, 6]))
    await episodes.reorder([7, 5, 6])
    expect(episodesApi.reorderScenes).toHaveBeenCalledWith(3, [7, 5, 6])
    expect(episodes.current?.scenes.map((s) => s.scene_id)).toEqual([7, 5, 6])
    vi.mocked(episodesApi.reorderScenes).mockRejectedValue(new ApiError(422, 'unknown scene'))
    await expect(episodes.reorder([6, 7, 5])).rejects.toThrow()
    expect(episodes.current?.scenes.map((s) => s.scene_id)).toEqual([7, 5, 6])
  })

  it('refreshes the open episode on episode.updated (published path appears)', async () => {
    vi.useFakeTimers()
    const episodes = useEpisodesStore()
    vi.mocked(episodesApi.getEpisode).mockResolvedValue(episode([5]))
    await episodes.open(3)
    vi.mocked(episodesApi.getEpisode).mockResolvedValue(episode([5], { status: 'published', publish_path: '/library/Show/Season 01/Show S01E01 - Pilot.mp4', updated_at: 'v2' }))
    emit('episode.updated', { episode_id: 3, status: 'published' })
    await vi.advanceTimersByTimeAsync(200)
    expect(episodes.current?.publish_path).toContain('S01E01')
    expect(episodes.version).toBe('v2')
  })
})

describe('generation', () => {
  const pip = { id: 2, project_id: 1, name: 'Pip', slug: 'pip', role: '', description: '', design_prompt: 'lantern', appearance_data: { species: 'lantern spirit (NOT human)', key_colors: {}, key_features: [], common_errors: [] }, voice: { voice: 'en-us', pitch: 50, rate: 170, volume: 100 }, created_at: '', updated_at: '', swatches: {} } as Character

  it('refreshes the results when this character’s images land or are judged, not for others', async () => {
    vi.useFakeTimers()
    const generation = useGenerationStore()
    vi.mocked(assetsApi.galleryPage).mockResolvedValueOnce({ items: [asset(1, { character_id: 2 })], next_cursor: null })
    await generation.show(1, 2)
    expect(assetsApi.galleryPage).toHaveBeenCalledWith({ project_id: 1, character_id: 2, kind: ['image'], limit: 24 })

    vi.mocked(assetsApi.galleryPage).mockResolvedValue({ items: [asset(2, { character_id: 2 }), asset(1, { character_id: 2 })], next_cursor: null })
    emit('generation.completed', { asset_id: 9, character_id: 1 })
    await vi.advanceTimersByTimeAsync(300)
    expect(generation.results.items.map((a) => a.id)).toEqual([1])
    emit('generation.completed', { asset_id: 2, character_id: 2 })
    await vi.advanceTimersByTimeAsync(300)
    expect(generation.results.items.map((a) => a.id)).toEqual([2, 1])
  })

  it('approves every image waiting for review in one click (non-human characters never auto-approve)', async () => {
    useAuthStore().user = { id: 1, username: 'r', role: 'reviewer', is_active: true, created_at: '', last_login_at: null }
    const generation = useGenerationStore()
    vi.mocked(assetsApi.galleryPage).mockResolvedValue({ items: [asset(3, { character_id: 2 }), asset(2, { character_id: 2, status: 'approved' }), asset(1, { character_id: 2 })], next_cursor: null })
    await generation.show(1, 2)
    vi.mocked(datasetsApi.judgeImages).mockResolvedValue([asset(3, { character_id: 2, status: 'approved' }), asset(1, { character_id: 2, status: 'approved' })])
    const wrapper = mount(GenerationResults, { props: { character: pip }, attachTo: document.body })
    expect(wrapper.text()).toContain('Pip is not human')
    expect(wrapper.findAll('[data-asset]')).toHaveLength(3)
    await wrapper.get('[data-testid="approve-all"]').trigger('click')
    await flushPromises()
    expect(datasetsApi.judgeImages).toHaveBeenCalledWith([3, 1], true, '')
    expect(wrapper.findAll('[data-status="approved"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="approve-all"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('approves only the selected images', async () => {
    const generation = useGenerationStore()
    vi.mocked(assetsApi.galleryPage).mockResolvedValue({ items: [asset(3), asset(2), asset(1)], next_cursor: null })
    await generation.show(1, 1)
    generation.toggle(3)
    generation.toggle(1)
    generation.toggle(3)
    vi.mocked(datasetsApi.judgeImages).mockResolvedValue([asset(1, { status: 'rejected' })])
    await generation.judge(generation.selectedIds, false)
    expect(datasetsApi.judgeImages).toHaveBeenCalledWith([1], false, '')
    expect(generation.selected.size).toBe(0)
    expect(generation.results.items.map((a) => a.status)).toEqual(['pending', 'pending', 'rejected'])
  })
})
