/** Copy text, with a short-lived "copied" flag for the button that did it. */
import { ref } from 'vue'
import { useToasts } from '@/components/toast'

export function useClipboard() {
  const copied = ref<string | null>(null)
  const toasts = useToasts()

  async function copy(text: string, key = 'default'): Promise<void> {
    try {
      await navigator.clipboard.writeText(text)
      copied.value = key
      setTimeout(() => {
        if (copied.value === key) copied.value = null
      }, 1600)
    } catch {
      toasts.warning('Copy failed', 'Your browser blocked the clipboard; select the text and copy it by hand.')
    }
  }

  return { copied, copy }
}
