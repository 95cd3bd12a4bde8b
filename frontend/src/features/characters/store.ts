/** The open project's characters, the selected one, and composed prompts (refreshed after saves). */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { errorMessage } from '@/api/http'
import type { Character, CharacterCreate, CharacterPrompt, CharacterUpdate } from '@/api/types'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import { usePagination } from '@/composables/usePagination'
import * as charactersApi from './api'

export const useCharactersStore = defineStore('characters', () => {
  const projectId = ref<number | null>(null)
  const roster = usePagination<Character>(
    (limit, offset) =>
      projectId.value === null
        ? Promise.resolve({ items: [], total: 0, limit, offset })
        : charactersApi.listCharacters(projectId.value, limit, offset),
    { pageSize: 100 },
  )
  const prompts = ref<Record<number, CharacterPrompt>>({})
  const promptErrors = ref<Record<number, string>>({})

  const byId = computed(() => new Map(roster.items.value.map((c) => [c.id, c])))

  async function load(id: number): Promise<void> {
    if (projectId.value !== id) {
      roster.clear()
      prompts.value = {}
      promptErrors.value = {}
    }
    projectId.value = id
    await roster.reload().catch(() => undefined)
  }

  async function create(data: CharacterCreate): Promise<Character> {
    if (projectId.value === null) throw new Error('No project is open.')
    const character = await charactersApi.createCharacter(projectId.value, data)
    await roster.reload()
    return character
  }

  async function update(id: number, data: CharacterUpdate): Promise<Character> {
    const character = await charactersApi.updateCharacter(id, data)
    roster.patch((c) => c.id === id, character)
    await refreshPrompt(id)
    return character
  }

  async function remove(id: number): Promise<void> {
    await charactersApi.deleteCharacter(id)
    roster.patch((c) => c.id === id, null)
    const { [id]: _dropped, ...rest } = prompts.value
    prompts.value = rest
  }

  async function refreshPrompt(id: number): Promise<void> {
    try {
      const prompt = await charactersApi.getPrompt(id)
      prompts.value = { ...prompts.value, [id]: prompt }
      const { [id]: _cleared, ...others } = promptErrors.value
      promptErrors.value = others
    } catch (cause) {
      promptErrors.value = { ...promptErrors.value, [id]: errorMessage(cause) }
    }
  }

  // Characters edited elsewhere (another tab or person): refresh the roster and cached prompts.
  const reload = debounce(() => {
    void roster.reload().catch(() => undefined)
    for (const id of Object.keys(prompts.value)) void refreshPrompt(Number(id))
  }, 250)
  eventStream().on('character.changed', (event) => {
    if (event.data.project_id === projectId.value) reload()
  })
  eventStream().on('project.changed', (event) => {
    // The style or world negatives may have changed: composed prompts depend on them.
    if (event.data.project_id === projectId.value && event.data.action === 'updated') reload()
  })
  eventStream().onReconnect(() => {
    if (projectId.value !== null) reload()
  })

  return { projectId, roster, byId, prompts, promptErrors, load, create, update, remove, refreshPrompt }
})
