/** Which engines the studio runs, whether they answer, and the GPU pool; `supported` is false on servers without the endpoint. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { errorMessage } from '@/api/http'
import { gpuStatus, listEngines, type EngineStatus, type GpuSummary } from './api'

export const useEnginesStore = defineStore('engines', () => {
  const engines = ref<EngineStatus[]>([])
  const gpu = ref<GpuSummary | null>(null)
  const supported = ref<boolean | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  const reachableCount = computed(() => engines.value.filter((e) => e.reachable).length)
  const allReachable = computed(() => engines.value.length > 0 && reachableCount.value === engines.value.length)

  async function refresh(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const [result, pool] = await Promise.all([listEngines(), gpuStatus().catch(() => null)])
      supported.value = result !== null
      engines.value = result ?? []
      gpu.value = pool
    } catch (cause) {
      error.value = errorMessage(cause)
    } finally {
      loading.value = false
    }
  }

  return { engines, gpu, supported, loading, error, reachableCount, allReachable, refresh }
})
