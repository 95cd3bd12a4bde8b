/** Ask before leaving a page (or closing the tab) with unsaved edits. */
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { onBeforeRouteLeave, onBeforeRouteUpdate, type RouteLocationNormalized } from 'vue-router'
import { useConfirm } from '@/components/confirm'

export function useUnsavedGuard(
  dirty: Ref<boolean>,
  options: { ignoreUpdate?: (to: RouteLocationNormalized, from: RouteLocationNormalized) => boolean } = {},
) {
  const confirm = useConfirm()

  function ask(): Promise<boolean> {
    return confirm({
      title: 'Discard unsaved changes?',
      message: 'You have edits that are not saved yet. Leave this page and lose them?',
      confirmLabel: 'Discard changes',
      cancelLabel: 'Keep editing',
      danger: true,
    })
  }

  onBeforeRouteLeave(() => (dirty.value ? ask() : true))
  onBeforeRouteUpdate((to, from) => {
    if (!dirty.value || options.ignoreUpdate?.(to, from)) return true
    return ask()
  })

  function beforeUnload(event: BeforeUnloadEvent): void {
    if (!dirty.value) return
    event.preventDefault()
    event.returnValue = ''
  }
  onMounted(() => window.addEventListener('beforeunload', beforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', beforeUnload))

  return { ask }
}
