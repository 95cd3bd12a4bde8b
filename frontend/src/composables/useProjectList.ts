/**
 * A list that belongs to the open project. Reloading keeps what is shown until the answer comes;
 * switching projects clears it first (and closes what was open); a late answer for another project is dropped.
 */
import { ref, type Ref } from 'vue'
import { errorMessage } from '@/api/http'

export function useProjectList<T>(fetch: (projectId: number) => Promise<T[]>, onSwitch: () => void) {
  const projectId = ref<number | null>(null)
  const list = ref<T[]>([]) as Ref<T[]>
  const loaded = ref(false)
  const error = ref<string | null>(null)

  async function load(id: number): Promise<void> {
    if (projectId.value !== id) {
      list.value = []
      loaded.value = false
      onSwitch()
    }
    projectId.value = id
    error.value = null
    try {
      const items = await fetch(id)
      if (projectId.value === id) {
        list.value = items
        loaded.value = true
      }
    } catch (cause) {
      if (projectId.value === id) error.value = errorMessage(cause)
    }
  }

  return { projectId, list, loaded, error, load }
}
