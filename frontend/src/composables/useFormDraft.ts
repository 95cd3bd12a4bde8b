/** An editable copy of server data with a dirty flag: the basis of every form's save/discard/guard. */
import { computed, ref, watch, type Ref } from 'vue'

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/**
 * `draft` starts as a copy of `source()` and follows it while unchanged; once edited, a new
 * source (another user's save, an SSE refresh) does not overwrite the user's work.
 */
export function useFormDraft<T extends object>(source: () => T | null | undefined) {
  const baseline = ref<string>('') as Ref<string>
  const draft = ref<T | null>(null) as Ref<T | null>

  const dirty = computed(() => draft.value !== null && JSON.stringify(draft.value) !== baseline.value)

  function reset(next: T | null | undefined = source()): void {
    if (next === null || next === undefined) {
      draft.value = null
      baseline.value = ''
      return
    }
    draft.value = clone(next)
    baseline.value = JSON.stringify(draft.value)
  }

  watch(
    source,
    (next) => {
      if (!dirty.value) reset(next)
    },
    { immediate: true, deep: true },
  )

  return { draft, dirty, reset }
}
