/** The loop's live state: refetched when the event stream says a batch, a review or a run moved. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { debounce } from '@/composables/debounce'
import * as loopApi from './api'
import type { GuardSettingsUpdate, LoopStatus, Readiness } from './api'

export const useReplenishmentStore = defineStore('replenishment', () => {
  const status = ref<LoopStatus | null>(null)
  const ready = ref<Readiness | null>(null)
  const error = ref<string | null>(null)
  /** When `status` was read (its `cooldown_left` counts from then). */
  const loadedAt = ref(Date.now())

  async function load(): Promise<void> {
    const [next, progress] = await Promise.all([loopApi.loopStatus(), loopApi.readiness()])
    status.value = next
    ready.value = progress
    loadedAt.value = Date.now()
  }

  const refresh = debounce(() => void load().catch(() => undefined), 300)

  async function toggle(enabled: boolean): Promise<void> {
    status.value = await loopApi.toggleLoop(enabled)
    await load()
  }

  async function setTarget(slug: string, target: number, projectName: string): Promise<void> {
    await loopApi.setTarget(slug, target, projectName)
    await load()
  }

  async function saveGuards(body: GuardSettingsUpdate): Promise<void> {
    await loopApi.saveGuards(body)
    await load()
  }

  return { status, ready, error, loadedAt, load, refresh, toggle, setTarget, saveGuards }
})
