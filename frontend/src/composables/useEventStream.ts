/** The app's single event stream on `/api/lora/events`, and a hook that unsubscribes with the component. */
import { getCurrentScope, onScopeDispose } from 'vue'
import { apiUrl } from '@/api/base'
import type { StudioEvent, StudioEventName } from '@/features/jobs/events'
import { EventStream } from './eventStream'

let shared: EventStream | null = null
let onlineListener: (() => void) | null = null

export function eventStream(): EventStream {
  if (!shared) {
    const stream = new EventStream({ url: () => apiUrl('/api/lora/events') })
    onlineListener = () => stream.retryNow()
    window.addEventListener('online', onlineListener)
    shared = stream
  }
  return shared
}

/** For tests: forget the shared stream. */
export function resetEventStream(): void {
  shared?.stop()
  if (onlineListener) window.removeEventListener('online', onlineListener)
  shared = null
  onlineListener = null
}

/** Subscribe to studio events for as long as the calling component (or effect scope) lives. */
export function useEventStream() {
  const stream = eventStream()
  const disposers: (() => void)[] = []
  if (getCurrentScope()) onScopeDispose(() => disposers.forEach((dispose) => dispose()))

  function on<N extends StudioEventName>(name: N, handler: (event: StudioEvent<N>) => void): () => void {
    const dispose = stream.on(name, handler)
    disposers.push(dispose)
    return dispose
  }

  function onReconnect(listener: () => void): () => void {
    const dispose = stream.onReconnect(listener)
    disposers.push(dispose)
    return dispose
  }

  return { on, onReconnect, status: stream.status }
}
