/** App-wide toasts: `useToasts().success('Saved')`; the host component renders them. */
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ToastKind = 'success' | 'error' | 'info' | 'warning'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  message?: string
}

const DURATIONS: Record<ToastKind, number> = { success: 3000, info: 4500, warning: 6000, error: 8000 }
const MAX_VISIBLE = 3

export const useToasts = defineStore('toasts', () => {
  const items = ref<Toast[]>([])
  let nextId = 1
  const timers = new Map<number, ReturnType<typeof setTimeout>>()

  function push(kind: ToastKind, title: string, message?: string, durationMs = DURATIONS[kind]): number {
    const id = nextId++
    items.value = [...items.value, { id, kind, title, ...(message ? { message } : {}) }].slice(-MAX_VISIBLE)
    if (durationMs > 0) timers.set(id, setTimeout(() => dismiss(id), durationMs))
    return id
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((toast) => toast.id !== id)
    const timer = timers.get(id)
    if (timer) clearTimeout(timer)
    timers.delete(id)
  }

  return {
    items,
    push,
    dismiss,
    success: (title: string, message?: string) => push('success', title, message),
    error: (title: string, message?: string) => push('error', title, message),
    info: (title: string, message?: string) => push('info', title, message),
    warning: (title: string, message?: string) => push('warning', title, message),
  }
})
