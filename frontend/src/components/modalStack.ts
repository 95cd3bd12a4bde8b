/** Escape closes only the top-most dialog or popover; this stack knows which one that is. */

type Closer = () => void
const stack: Closer[] = []
let listening = false

function onKeydown(event: KeyboardEvent): void {
  if (event.key !== 'Escape' || stack.length === 0) return
  event.preventDefault()
  event.stopPropagation()
  stack[stack.length - 1]?.()
}

export function pushLayer(close: Closer): () => void {
  stack.push(close)
  if (!listening) {
    window.addEventListener('keydown', onKeydown, true)
    listening = true
  }
  return () => {
    const index = stack.lastIndexOf(close)
    if (index >= 0) stack.splice(index, 1)
    if (stack.length === 0 && listening) {
      window.removeEventListener('keydown', onKeydown, true)
      listening = false
    }
  }
}
