/**
 * Keyboard moves through a grid: j / → next, k / ← previous, ↓ / ↑ a row, Home / End,
 * Enter opens. Keys typed into fields, or while a dialog is open, are left alone.
 */
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { modalOpen } from '@/components/modalStack'

/** The index a key moves to (or `null` for keys the grid does not handle). */
export function nextIndex(key: string, index: number, count: number, columns: number): number | null {
  if (count === 0) return null
  const last = count - 1
  const cols = Math.max(1, columns)
  if (index < 0) return ['j', 'k', 'ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home'].includes(key) ? 0 : key === 'End' ? last : null
  switch (key) {
    case 'j':
    case 'ArrowRight':
      return Math.min(last, index + 1)
    case 'k':
    case 'ArrowLeft':
      return Math.max(0, index - 1)
    case 'ArrowDown':
      return Math.min(last, index + cols)
    case 'ArrowUp':
      return Math.max(0, index - cols)
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return null
  }
}

/** How many columns a CSS grid element shows now (children sharing the first row). */
export function columnsOf(grid: HTMLElement | null): number {
  const children = grid ? [...grid.children].filter((c): c is HTMLElement => c instanceof HTMLElement) : []
  if (children.length === 0) return 1
  const top = children[0]!.offsetTop
  const sameRow = children.filter((c) => c.offsetTop === top).length
  return Math.max(1, sameRow)
}

function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export interface GridNavigationOptions {
  count: () => number
  columns: () => number
  open: (index: number) => void
  /** Off while the page shows something else on top (a lightbox). */
  enabled?: () => boolean
  /** Called when the active item is the last one (load the next page). */
  atEnd?: () => void
}

export function useGridNavigation(options: GridNavigationOptions) {
  const active = ref(-1)

  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
    if (modalOpen() || typingTarget(event.target) || options.enabled?.() === false) return
    if (event.key === 'Enter') {
      const target = event.target
      if (target instanceof HTMLElement && ['BUTTON', 'A'].includes(target.tagName)) return // the control's own action
      if (active.value < 0 || active.value >= options.count()) return
      event.preventDefault()
      options.open(active.value)
      return
    }
    const next = nextIndex(event.key, active.value, options.count(), options.columns())
    if (next === null) return
    event.preventDefault()
    active.value = next
    if (next === options.count() - 1) options.atEnd?.()
  }

  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))

  return { active, onKeydown }
}
