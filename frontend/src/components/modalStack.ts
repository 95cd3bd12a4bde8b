/** Escape closes only the top-most dialog or popover; this stack knows which one that is. */

type Closer = () => void
const stack: Closer[] = []
let modals = 0
let listening = false

/** Whether a modal dialog is open (page-level shortcuts stand down while one is). */
export function modalOpen(): boolean {
  return modals > 0
}

function onKeydown(event: KeyboardEvent): void {
  if (event.key !== 'Escape' || stack.length === 0) return
  event.preventDefault()
  event.stopPropagation()
  stack[stack.length - 1]?.()
}

export function pushLayer(close: Closer, options: { modal?: boolean } = {}): () => void {
  stack.push(close)
  if (options.modal) modals += 1
  let released = false
  if (!listening) {
    window.addEventListener('keydown', onKeydown, true)
    listening = true
  }
  return () => {
    if (released) return
    released = true
    if (options.modal) modals -= 1
    const index = stack.lastIndexOf(close)
    if (index >= 0) stack.splice(index, 1)
    if (stack.length === 0 && listening) {
      window.removeEventListener('keydown', onKeydown, true)
      listening = false
    }
  }
}
