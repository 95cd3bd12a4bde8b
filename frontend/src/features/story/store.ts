/** Storyline and world settings of the open project. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '@/api/http'
import type { Storyline, StorylineFields, WorldSettings, WorldSettingsFields } from '@/api/types'
import * as storyApi from './api'

export const useStoryStore = defineStore('story', () => {
  const projectId = ref<number | null>(null)
  const storyline = ref<Storyline | null>(null)
  const world = ref<WorldSettings | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load(id: number): Promise<void> {
    if (projectId.value !== id) {
      storyline.value = null
      world.value = null
    }
    projectId.value = id
    loading.value = true
    error.value = null
    try {
      const [story, settings] = await Promise.all([storyApi.getStoryline(id), storyApi.getWorld(id)])
      if (projectId.value !== id) return
      storyline.value = story
      world.value = settings
    } catch (cause) {
      if (projectId.value === id) error.value = errorMessage(cause)
    } finally {
      if (projectId.value === id) loading.value = false
    }
  }

  async function saveStoryline(data: StorylineFields): Promise<Storyline> {
    const id = requireProject()
    const saved = await storyApi.saveStoryline(id, data)
    if (projectId.value === id) storyline.value = saved
    return saved
  }

  async function saveWorld(data: WorldSettingsFields): Promise<WorldSettings> {
    const id = requireProject()
    const saved = await storyApi.saveWorld(id, data)
    if (projectId.value === id) world.value = saved
    return saved
  }

  function requireProject(): number {
    if (projectId.value === null) throw new Error('No project is open.')
    return projectId.value
  }

  return { projectId, storyline, world, loading, error, load, saveStoryline, saveWorld }
})
