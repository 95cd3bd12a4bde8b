/**
 * The Approve tab's learning panel: what works for the selected character, its open drift warnings,
 * the project's auto-correction switch and the character's corrections. Refreshed by studio events
 * (decisions, `quality.drift`, `regeneration.queued`, finished correction runs), never by polling.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { debounce } from '@/composables/debounce'
import { eventStream } from '@/composables/useEventStream'
import {
  type Correction,
  type DriftWarning,
  type Insights,
  type Strategy,
  dismissDriftWarning,
  getAutoCorrection,
  getInsights,
  listCorrections,
  listDriftWarnings,
  requestCorrection,
  setAutoCorrection,
} from './api'

export const useLearningStore = defineStore('learning', () => {
  const characterId = ref<number | null>(null)
  const projectId = ref<number | null>(null)
  const insights = ref<Insights | null>(null)
  const warnings = ref<DriftWarning[]>([])
  const corrections = ref<Correction[]>([])
  const autoCorrection = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load(character: number, project: number): Promise<void> {
    const switched = character !== characterId.value
    characterId.value = character
    projectId.value = project
    if (switched) {
      insights.value = null
      warnings.value = []
      corrections.value = []
    }
    loading.value = true
    try {
      const [found, open, history, enabled] = await Promise.all([
        getInsights(character), listDriftWarnings(character), listCorrections(character), getAutoCorrection(project),
      ])
      if (character !== characterId.value) return
      insights.value = found
      warnings.value = open
      corrections.value = history
      autoCorrection.value = enabled
      error.value = null
    } catch (cause) {
      error.value = cause instanceof Error ? cause.message : String(cause)
      throw cause
    } finally {
      loading.value = false
    }
  }

  function reload(): void {
    if (characterId.value !== null && projectId.value !== null) void load(characterId.value, projectId.value).catch(() => undefined)
  }
  const refresh = debounce(reload, 300)

  async function toggleAutoCorrection(enabled: boolean): Promise<void> {
    if (projectId.value === null) return
    autoCorrection.value = await setAutoCorrection(projectId.value, enabled)
  }

  async function dismiss(warningId: number): Promise<void> {
    await dismissDriftWarning(warningId)
    warnings.value = warnings.value.filter((w) => w.id !== warningId)
  }

  async function correct(assetId: number, strategy: Strategy | null = null): Promise<Correction> {
    const queued = await requestCorrection(assetId, strategy)
    corrections.value = [queued, ...corrections.value.filter((c) => c.id !== queued.id)]
    return queued
  }

  const mine = (id: unknown) => id === characterId.value
  const stream = eventStream()
  stream.on('image.approved', (event) => mine(event.data.character_id) && refresh())
  stream.on('image.rejected', (event) => mine(event.data.character_id) && refresh())
  stream.on('quality.drift', (event) => mine(event.data.character_id) && refresh())
  stream.on('regeneration.queued', (event) => mine(event.data.character_id) && refresh())
  stream.on('run.finished', (event) => event.data.kind === 'correction.apply' && mine(event.data.subject_id) && refresh())

  return { characterId, projectId, insights, warnings, corrections, autoCorrection, loading, error, load, toggleAutoCorrection, dismiss, correct }
})
