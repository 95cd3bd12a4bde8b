/** The project list, the open project and its generation style; kept fresh by `project.changed` events. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '@/api/http'
import type { ProjectCreate, ProjectDetail, ProjectUpdate, Style, StyleUpdate } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { usePagination } from '@/composables/usePagination'
import { eventStream } from '@/composables/useEventStream'
import * as projectsApi from './api'

const LAST_PROJECT_KEY = 'anime-studio.last-project'

export function rememberedProjectId(): number | null {
  const raw = localStorage.getItem(LAST_PROJECT_KEY)
  const id = raw ? Number.parseInt(raw, 10) : NaN
  return Number.isInteger(id) && id > 0 ? id : null
}

function remember(id: number | null): void {
  if (id === null) localStorage.removeItem(LAST_PROJECT_KEY)
  else localStorage.setItem(LAST_PROJECT_KEY, String(id))
}

export const useProjectsStore = defineStore('projects', () => {
  const list = usePagination(projectsApi.listProjects, { pageSize: 100 })
  const currentId = ref<number | null>(null)
  const current = ref<ProjectDetail | null>(null)
  const style = ref<Style | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** The "New project" dialog lives in the app shell; any page can open it. */
  const createDialogOpen = ref(false)

  async function ensureList(): Promise<void> {
    if (!list.loaded.value && !list.loading.value) await list.reload()
  }

  /** Make `id` the open project (loads its detail and style; remembered for next time). */
  async function open(id: number): Promise<void> {
    if (currentId.value === id && current.value) return
    currentId.value = id
    current.value = null
    style.value = null
    await refreshCurrent()
  }

  async function refreshCurrent(): Promise<void> {
    const id = currentId.value
    if (id === null) return
    loading.value = true
    error.value = null
    try {
      const [detail, projectStyle] = await Promise.all([projectsApi.getProject(id), projectsApi.getStyle(id)])
      if (currentId.value !== id) return
      current.value = detail
      style.value = projectStyle
      remember(id)
    } catch (cause) {
      if (currentId.value === id) error.value = errorMessage(cause)
      throw cause
    } finally {
      if (currentId.value === id) loading.value = false
    }
  }

  function close(): void {
    currentId.value = null
    current.value = null
    style.value = null
    error.value = null
  }

  async function create(data: ProjectCreate): Promise<ProjectDetail> {
    const project = await projectsApi.createProject(data)
    await list.reload()
    return project
  }

  async function update(id: number, data: ProjectUpdate): Promise<ProjectDetail> {
    const project = await projectsApi.updateProject(id, data)
    if (currentId.value === id) current.value = project
    list.patch((p) => p.id === id, project)
    return project
  }

  async function remove(id: number): Promise<void> {
    await projectsApi.deleteProject(id)
    if (rememberedProjectId() === id) remember(null)
    if (currentId.value === id) close()
    list.patch((p) => p.id === id, null)
  }

  async function saveStyle(data: StyleUpdate): Promise<Style> {
    const id = currentId.value
    if (id === null) throw new Error('No project is open.')
    const saved = await projectsApi.saveStyle(id, data)
    if (currentId.value === id) style.value = saved
    return saved
  }

  // Other people's changes arrive as events; reload what they touched.
  const reloadList = debounce(() => void list.reload().catch(() => undefined), 250)
  eventStream().on('project.changed', (event) => {
    reloadList()
    const { project_id: id, action } = event.data
    if (id !== currentId.value) return
    if (action === 'deleted') close()
    else void refreshCurrent().catch(() => undefined)
  })
  // Character counts shown in the list and the project header follow character changes.
  const refreshCounts = debounce((projectId: number) => {
    reloadList()
    if (projectId === currentId.value) void refreshCurrent().catch(() => undefined)
  }, 400)
  eventStream().on('character.changed', (event) => refreshCounts(event.data.project_id))
  eventStream().onReconnect(reloadList)

  return {
    list,
    currentId,
    current,
    style,
    loading,
    error,
    createDialogOpen,
    ensureList, open, refreshCurrent, close, create, update, remove, saveStyle }
})
