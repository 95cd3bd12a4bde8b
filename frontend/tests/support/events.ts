/** Deliver studio events to the app's shared event stream, as the server's SSE would. */
import { eventStream } from '@/composables/useEventStream'
import type { StudioEvent, StudioEventName } from '@/features/jobs/events'

let counter = 0

export function studioEvent(name: StudioEventName, data: Record<string, unknown>): StudioEvent {
  counter += 1
  return { id: `t${counter}`, name, data: data as never, at: 1_000_000 + counter }
}

/** Dispatch through the stream's real parsing and handler fan-out. */
export function emit(name: StudioEventName, data: Record<string, unknown>): void {
  const event = studioEvent(name, data)
  const stream = eventStream() as unknown as { dispatch(message: { data: string; lastEventId: string }): void }
  stream.dispatch({ data: JSON.stringify(event), lastEventId: event.id })
}
