/**
 * Ctrl/Cmd+S saves the form that holds the keyboard focus, or, with focus elsewhere,
 * every form on screen that has unsaved changes. Forms register while mounted.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { modalOpen } from '@/components/modalStack'

interface SaveTarget {
  root: Ref<HTMLElement | null | undefined>
  dirty: Ref<boolean>
  save: () => unknown
}

const targets = new Set<SaveTarget>()
let listening = false

function visible(element: HTMLElement | null | undefined): boolean {
  if (!element) return false
  return typeof element.checkVisibility === 'function' ? element.checkVisibility() : true
}

export function handleSaveKey(event: KeyboardEvent): void {
  if (event.key.toLowerCase() !== 's' || !(event.ctrlKey || event.metaKey) || event.altKey) return
  event.preventDefault()
  if (modalOpen()) return // a dialog owns the keyboard
  const active = document.activeElement
  const focused = [...targets].find((t) => t.root.value && active && t.root.value.contains(active))
  if (focused) {
    void focused.save()
    return
  }
  for (const target of targets) if (target.dirty.value && visible(target.root.value)) void target.save()
}

export function useSaveShortcut(root: Ref<HTMLElement | null | undefined>, dirty: Ref<boolean>, save: () => unknown) {
  const target: SaveTarget = { root, dirty, save }
  onMounted(() => {
    targets.add(target)
    if (!listening) {
      window.addEventListener('keydown', handleSaveKey)
      listening = true
    }
  })
  onBeforeUnmount(() => {
    targets.delete(target)
    if (targets.size === 0 && listening) {
      window.removeEventListener('keydown', handleSaveKey)
      listening = false
    }
  })
}
