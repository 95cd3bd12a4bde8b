/**
 * The state of a modal form: fresh fields each time the dialog opens, one required text field,
 * a busy flag, and the API's message and per-field errors when saving fails (the dialog stays open).
 */
import { reactive, ref, watch, type Ref } from 'vue'
import { ApiError } from '@/api/errors'
import { errorMessage } from '@/api/http'

export interface DialogFormOptions<F extends object, R> {
  open: Ref<boolean>
  /** The fields when the dialog opens (blank, or copied from what is being edited). */
  initial: () => F
  /** A text field that must not be blank, and what to say when it is. */
  required?: { field: keyof F & string; message: string }
  save: (form: F) => Promise<R>
  /** After a successful save; the dialog is already closed. */
  saved?: (result: R) => void | Promise<void>
}

export function useDialogForm<F extends object, R>(options: DialogFormOptions<F, R>) {
  const form = reactive(options.initial()) as F
  const saving = ref(false)
  const error = ref<string | null>(null)
  const fieldErrors = ref<Record<string, string>>({})

  watch(options.open, (isOpen) => {
    if (!isOpen) return
    Object.assign(form, options.initial())
    error.value = null
    fieldErrors.value = {}
  })

  async function submit(): Promise<void> {
    const required = options.required
    if (required && !String(form[required.field] ?? '').trim()) {
      fieldErrors.value = { [required.field]: required.message }
      return
    }
    if (saving.value) return
    saving.value = true
    error.value = null
    fieldErrors.value = {}
    try {
      const result = await options.save(form)
      options.open.value = false
      await options.saved?.(result)
    } catch (cause) {
      error.value = errorMessage(cause)
      fieldErrors.value = cause instanceof ApiError ? cause.fieldErrors : {}
    } finally {
      saving.value = false
    }
  }

  return { form, saving, error, fieldErrors, submit }
}
