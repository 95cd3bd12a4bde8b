/**
 * The Scenes tab: the project's scenes, the open scene with its shots, its generation status
 * (kept live by `scene.updated` and `run.*` events plus `/status` refetches, never polling),
 * motion presets, approved source images and the shots' rendered clips.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Asset, Run, Scene, SceneCreate, SceneDetail, SceneStatus, SceneUpdate, Shot, ShotCreate, ShotUpdate } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import { useProjectList } from '@/composables/useProjectList'
import { galleryPage } from '@/features/assets/api'
import { useJobsStore } from '@/features/jobs/store'
import * as scenesApi from './api'
import type { ApprovedGroup, MotionPresets, MusicSettings, PlannedScene } from './api'

/** Scene states in which a run is (about to be) working on it. */
export const BUSY_SCENE_STATES = ['queued', 'generating'] as const

export const useScenesStore = defineStore('scenes', () => {
  const jobs = useJobsStore()
  const { projectId, list, loaded, error, load } = useProjectList<Scene>((id) => scenesApi.listScenes(id), () => close())
  const current = ref<SceneDetail | null>(null)
  const status = ref<SceneStatus | null>(null)
  const presets = ref<MotionPresets>({})
  const approved = ref<ApprovedGroup[]>([])
  /** The rendered clip asset of each shot (thumbnails, gallery links), by shot id. */
  const clips = ref<Record<number, Asset>>({})
  /** The run working on the open scene, as far as we know. */
  const runId = ref<number | null>(null)

  const byId = computed(() => new Map(list.value.map((scene) => [scene.id, scene])))
  const shots = computed<Shot[]>(() => current.value?.shots ?? [])
  const run = computed(() => (runId.value === null ? null : (jobs.runs[String(runId.value)] ?? null)))
  const busy = computed(() => {
    const state = run.value?.status
    if (state === 'queued' || state === 'running') return true
    return (BUSY_SCENE_STATES as readonly string[]).includes(current.value?.status ?? '')
  })
  /** Approved image assets by their path (shots store the path of their source image). */
  const sourceByPath = computed(() => {
    const map = new Map<string, Asset>()
    for (const group of approved.value) for (const image of group.images) map.set(image.path, image)
    return map
  })

  async function ensurePresets(): Promise<void> {
    if (Object.keys(presets.value).length) return
    presets.value = await scenesApi.motionPresets().catch(() => ({}))
  }

  function close(): void {
    current.value = null
    status.value = null
    approved.value = []
    clips.value = {}
    runId.value = null
  }

  /** Open one scene: its shots, status, source images and clips. */
  async function open(sceneId: number): Promise<void> {
    if (current.value?.id !== sceneId) close()
    const [detail, state] = await Promise.all([scenesApi.getScene(sceneId), scenesApi.sceneStatus(sceneId)])
    current.value = detail
    acceptStatus(state)
    void refreshSources()
    void refreshClips()
  }

  function acceptStatus(state: SceneStatus): void {
    if (current.value?.id !== state.scene_id) return
    status.value = state
    if (state.run_id !== null) runId.value = state.run_id
  }

  function patchListItem(scene: Scene | SceneDetail): void {
    const { shots: _shots, ...summary } = scene as SceneDetail
    const index = list.value.findIndex((s) => s.id === scene.id)
    if (index >= 0) list.value = list.value.map((s) => (s.id === scene.id ? { ...s, ...summary } : s))
    else list.value = [...list.value, summary]
  }

  function acceptDetail(detail: SceneDetail): void {
    if (current.value?.id === detail.id) current.value = detail
    patchListItem(detail)
  }

  async function refreshDetail(): Promise<void> {
    const id = current.value?.id
    if (id === undefined) return
    const [detail, state] = await Promise.all([scenesApi.getScene(id), scenesApi.sceneStatus(id)])
    acceptDetail(detail)
    acceptStatus(state)
  }

  async function refreshStatus(): Promise<void> {
    const id = current.value?.id
    if (id === undefined) return
    acceptStatus(await scenesApi.sceneStatus(id))
  }

  async function refreshSources(): Promise<void> {
    const id = current.value?.id
    if (id === undefined) return
    const groups = await scenesApi.approvedImages(id).catch(() => null)
    if (groups && current.value?.id === id) approved.value = groups
  }

  async function refreshClips(): Promise<void> {
    const scene = current.value
    if (!scene) return
    const page = await galleryPage({ project_id: scene.project_id, scene_id: scene.id, kind: ['clip'], limit: 200 }).catch(() => null)
    if (!page || current.value?.id !== scene.id) return
    const byShot: Record<number, Asset> = {}
    // Newest first: the first clip seen for a shot is its latest render.
    for (const asset of page.items) if (asset.shot_id !== null && !(asset.shot_id in byShot)) byShot[asset.shot_id] = asset
    clips.value = byShot
  }

  async function create(data: Omit<SceneCreate, 'project_id'>): Promise<SceneDetail> {
    if (projectId.value === null) throw new Error('No project is open.')
    const scene = await scenesApi.createScene({ ...data, project_id: projectId.value })
    patchListItem(scene)
    return scene
  }

  async function update(sceneId: number, data: SceneUpdate): Promise<SceneDetail> {
    const scene = await scenesApi.updateScene(sceneId, data)
    acceptDetail(scene)
    return scene
  }

  async function remove(sceneId: number): Promise<void> {
    await scenesApi.deleteScene(sceneId)
    list.value = list.value.filter((s) => s.id !== sceneId)
    if (current.value?.id === sceneId) close()
  }

  function withShots(next: Shot[]): void {
    const scene = current.value
    if (!scene) return
    const done = next.filter((s) => s.status === 'completed' || s.status === 'low_quality').length
    current.value = { ...scene, shots: next, total_shots: next.length, completed_shots: done }
    patchListItem(current.value)
  }

  async function addShot(data: ShotCreate): Promise<Shot> {
    const scene = current.value
    if (!scene) throw new Error('No scene is open.')
    const shot = await scenesApi.addShot(scene.id, data)
    await refreshDetail() // positions of later shots may have moved
    return shot
  }

  async function updateShot(shotId: number, data: ShotUpdate): Promise<Shot> {
    const scene = current.value
    if (!scene) throw new Error('No scene is open.')
    const shot = await scenesApi.updateShot(scene.id, shotId, data)
    withShots(shots.value.map((s) => (s.id === shotId ? shot : s)))
    return shot
  }

  async function removeShot(shotId: number): Promise<void> {
    const scene = current.value
    if (!scene) return
    await scenesApi.deleteShot(scene.id, shotId)
    await refreshDetail()
  }

  /** Put the shots in `shotIds` order: shown at once, saved, rolled back if the server refuses. */
  async function reorder(shotIds: number[]): Promise<void> {
    const scene = current.value
    if (!scene) return
    const before = shots.value
    const byShotId = new Map(before.map((s) => [s.id, s]))
    withShots(shotIds.flatMap((id, index) => (byShotId.has(id) ? [{ ...byShotId.get(id)!, position: index + 1 }] : [])))
    try {
      withShots(await scenesApi.reorderShots(scene.id, shotIds))
    } catch (cause) {
      withShots(before)
      throw cause
    }
  }

  function track(started: Run): Run {
    jobs.merge(started)
    runId.value = started.id
    return started
  }

  async function generate(): Promise<Run> {
    const scene = current.value
    if (!scene) throw new Error('No scene is open.')
    const started = track(await scenesApi.generateScene(scene.id))
    await refreshDetail()
    return started
  }

  async function regenerateShot(shotId: number): Promise<Run> {
    const scene = current.value
    if (!scene) throw new Error('No scene is open.')
    return track(await scenesApi.regenerateShot(scene.id, shotId))
  }

  async function assemble(): Promise<Run> {
    const scene = current.value
    if (!scene) throw new Error('No scene is open.')
    return track(await scenesApi.assembleScene(scene.id))
  }

  async function uploadMusic(file: File, settings: MusicSettings): Promise<void> {
    const scene = current.value
    if (!scene) return
    acceptDetail(await scenesApi.uploadMusic(scene.id, file, settings))
  }

  async function removeMusic(): Promise<void> {
    const scene = current.value
    if (!scene) return
    acceptDetail(await scenesApi.removeMusic(scene.id))
  }

  async function composeMusic(): Promise<Run> {
    const scene = current.value
    if (!scene) throw new Error('No scene is open.')
    return track(await scenesApi.composeMusic(scene.id))
  }

  async function planFromStory(): Promise<PlannedScene[]> {
    if (projectId.value === null) throw new Error('No project is open.')
    return scenesApi.planScenes(projectId.value)
  }

  /** Save exactly the chosen previewed plans, in one request; the scene list reloads afterwards. */
  async function savePlans(plans: PlannedScene[]): Promise<SceneDetail[]> {
    if (projectId.value === null) throw new Error('No project is open.')
    const project = projectId.value
    const created = await scenesApi.createScenesFromPlans(project, plans)
    await load(project)
    return created
  }

  // Live updates. A shot's new state shows at once; scores and attempts come with a /status refetch.
  const refetchStatus = debounce(() => void refreshStatus().catch(() => undefined), 150)
  const refetchAll = debounce(() => {
    void refreshDetail().catch(() => undefined)
    void refreshClips()
  }, 150)
  const reloadList = debounce(() => {
    if (projectId.value !== null) void load(projectId.value)
  }, 300)

  const stream = eventStream()
  stream.on('scene.updated', (event) => {
    const data = event.data
    const summary = byId.value.get(data.scene_id)
    if (summary && summary.status !== data.status) list.value = list.value.map((s) => (s.id === data.scene_id ? { ...s, status: data.status } : s))
    const scene = current.value
    if (!scene || scene.id !== data.scene_id) return
    if (data.run_id) runId.value = data.run_id
    current.value = { ...scene, status: data.status }
    // Through withShots, so the sidebar's "n/m shots" and the monitor count the same live statuses.
    withShots(scene.shots.map((s) => (data.shot_id === s.id && data.shot_status ? { ...s, status: data.shot_status } : s)))
    if (status.value && data.shot_id && data.shot_status) {
      status.value = {
        ...status.value,
        status: data.status,
        shots: status.value.shots.map((s) => (s.id === data.shot_id ? { ...s, status: data.shot_status! } : s)),
      }
    }
    refetchStatus()
    if (data.shot_status === 'completed' || data.shot_status === 'low_quality') void refreshClips()
  })
  stream.on('run.finished', (event) => {
    if (event.data.subject_type !== 'scene') return
    if (event.data.subject_id === current.value?.id) refetchAll()
    else if (event.data.project_id === projectId.value) reloadList()
  })
  stream.on('image.approved', () => void refreshSources())
  stream.onReconnect(() => {
    reloadList()
    refetchAll()
  })

  return {
    projectId, list, loaded, error, current, status, presets, approved, clips, runId,
    byId, shots, run, busy, sourceByPath,
    load, ensurePresets, open, close, refreshDetail, refreshStatus, refreshSources, refreshClips,
    create, update, remove, addShot, updateShot, removeShot, reorder,
    generate, regenerateShot, assemble, uploadMusic, removeMusic, composeMusic,
    planFromStory, savePlans,
  }
})

