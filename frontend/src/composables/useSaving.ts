/** The common save routine of forms: busy flag, field errors from the API, and toasts. */
import { ref } from 'vue'
import { ApiError } from '@/api/errors'
import { errorMessage } from '@/api/http'
import { useToasts } from '@/components/toast'

export function useSaving() {
  const saving = ref(false)
  const fieldErrors = ref<Record<string, string>>({})
  const toasts = useToasts()

  /** Run `action`; on success toast `success` (if given) and return its result, on failure toast the reason. */
  async function run<T>(action: () => Promise<T>, success?: string, failure = 'Could not save'): Promise<T | undefined> {
    if (saving.value) return undefined
    saving.value = true
    fieldErrors.value = {}
    try {
      const result = await action()
      if (success) toasts.success(success)
      return result
    } catch (error) {
      if (error instanceof ApiError) fieldErrors.value = error.fieldErrors
      if (!(error instanceof ApiError && error.status === 401)) toasts.error(failure, errorMessage(error))
      return undefined
    } finally {
      saving.value = false
    }
  }

  return { saving, fieldErrors, run }
}
