/**
 * The Episodes tab: the project's episodes, the open one with its scenes in order, assembly and
 * publishing runs; `episode.updated` and `run.*` events keep it current.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Episode, EpisodeCreate, EpisodeDetail, EpisodeUpdate, Run } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import { useProjectList } from '@/composables/useProjectList'
import { useJobsStore } from '@/features/jobs/store'
import * as episodesApi from './api'

export const useEpisodesStore = defineStore('episodes', () => {
  const jobs = useJobsStore()
  const { projectId, list, loaded, error, load } = useProjectList<Episode>((id) => episodesApi.listEpisodes(id), () => close())
  const current = ref<EpisodeDetail | null>(null)
  const runId = ref<number | null>(null)

  const byId = computed(() => new Map(list.value.map((episode) => [episode.id, episode])))
  const run = computed(() => (runId.value === null ? null : (jobs.runs[String(runId.value)] ?? null)))
  const busy = computed(() => run.value?.status === 'queued' || run.value?.status === 'running')
  /** Changes with every assembly (cache-busting for the video, subtitles and thumbnail). */
  const version = computed(() => current.value?.updated_at ?? '')

  function close(): void {
    current.value = null
    runId.value = null
  }

  async function open(episodeId: number): Promise<void> {
    if (current.value?.id !== episodeId) close()
    const detail = await episodesApi.getEpisode(episodeId)
    current.value = detail
    accept(detail)
  }

  function accept(detail: EpisodeDetail): EpisodeDetail {
    if (current.value?.id === detail.id) current.value = detail
    const { scenes: _scenes, ...summary } = detail
    list.value = byId.value.has(detail.id)
      ? list.value.map((e) => (e.id === detail.id ? summary : e))
      : [...list.value, summary].sort((a, b) => a.season - b.season || a.number - b.number)
    return detail
  }

  async function refresh(): Promise<void> {
    const id = current.value?.id
    if (id !== undefined) accept(await episodesApi.getEpisode(id))
  }

  async function create(data: Omit<EpisodeCreate, 'project_id'>): Promise<EpisodeDetail> {
    if (projectId.value === null) throw new Error('No project is open.')
    const episode = await episodesApi.createEpisode({ ...data, project_id: projectId.value })
    const { scenes: _scenes, ...summary } = episode
    list.value = [...list.value, summary].sort((a, b) => a.season - b.season || a.number - b.number)
    return episode
  }

  async function update(episodeId: number, data: EpisodeUpdate): Promise<EpisodeDetail> {
    return accept(await episodesApi.updateEpisode(episodeId, data))
  }

  async function remove(episodeId: number): Promise<void> {
    await episodesApi.deleteEpisode(episodeId)
    list.value = list.value.filter((e) => e.id !== episodeId)
    if (current.value?.id === episodeId) close()
  }

  async function addScene(sceneId: number): Promise<void> {
    const episode = current.value
    if (episode) accept(await episodesApi.addScene(episode.id, sceneId))
  }

  async function removeScene(sceneId: number): Promise<void> {
    const episode = current.value
    if (episode) accept(await episodesApi.removeScene(episode.id, sceneId))
  }

  /** Put the scenes in `sceneOrder`: shown at once, saved, rolled back if the server refuses. */
  async function reorder(sceneOrder: number[]): Promise<void> {
    const episode = current.value
    if (!episode) return
    const before = episode
    const byScene = new Map(episode.scenes.map((s) => [s.scene_id, s]))
    current.value = {
      ...episode,
      scenes: sceneOrder.flatMap((id, index) => (byScene.has(id) ? [{ ...byScene.get(id)!, position: index + 1 }] : [])),
    }
    try {
      accept(await episodesApi.reorderScenes(episode.id, sceneOrder))
    } catch (cause) {
      current.value = before
      throw cause
    }
  }

  function track(started: Run): Run {
    jobs.merge(started)
    runId.value = started.id
    return started
  }

  async function assemble(): Promise<Run> {
    const episode = current.value
    if (!episode) throw new Error('No episode is open.')
    return track(await episodesApi.assembleEpisode(episode.id))
  }

  async function publish(season: number): Promise<Run> {
    const episode = current.value
    if (!episode) throw new Error('No episode is open.')
    return track(await episodesApi.publishEpisode(episode.id, season))
  }

  const refetch = debounce(() => void refresh().catch(() => undefined), 150)
  const reloadList = debounce(() => {
    if (projectId.value !== null) void load(projectId.value)
  }, 300)
  const stream = eventStream()
  stream.on('episode.updated', (event) => {
    if (event.data.episode_id === current.value?.id) refetch()
    else if (byId.value.has(event.data.episode_id)) reloadList()
  })
  stream.on('run.finished', (event) => {
    if (event.data.subject_type === 'episode' && event.data.subject_id === current.value?.id) refetch()
    // A scene finished rendering: the episode's scene list shows whether each scene has a video.
    if (event.data.subject_type === 'scene' && current.value) refetch()
  })
  stream.onReconnect(() => {
    reloadList()
    refetch()
  })

  return {
    projectId, list, loaded, error, current, runId, byId, run, busy, version,
    load, open, close, refresh, create, update, remove, addScene, removeScene, reorder, assemble, publish,
  }
})
