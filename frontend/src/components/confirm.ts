/** A promise-based confirmation dialog: `if (await confirm({...})) …`. Rendered by ConfirmHost. */
import { shallowRef } from 'vue'

export interface ConfirmOptions {
  title: string
  message?: string
  confirmLabel?: string
  cancelLabel?: string
  danger?: boolean
}

export interface PendingConfirm extends ConfirmOptions {
  resolve: (ok: boolean) => void
}

export const pendingConfirm = shallowRef<PendingConfirm | null>(null)

export function requestConfirm(options: ConfirmOptions): Promise<boolean> {
  pendingConfirm.value?.resolve(false)
  return new Promise((resolve) => {
    pendingConfirm.value = {
      ...options,
      resolve: (ok) => {
        pendingConfirm.value = null
        resolve(ok)
      },
    }
  })
}

export function useConfirm(): (options: ConfirmOptions) => Promise<boolean> {
  return requestConfirm
}
