/**
 * One EventSource shared by the whole app, with typed handlers and reconnects.
 *
 * The browser retries a dropped stream by itself (sending `Last-Event-ID`, so the server replays
 * what we missed). When the browser gives up (readyState CLOSED: an error status, a proxy 502),
 * we open a new EventSource after an exponential backoff and pass the last id as `last_event_id`.
 */
import { ref, type Ref } from 'vue'
import {
  STUDIO_EVENT_NAMES,
  parseStudioEvent,
  type StudioEvent,
  type StudioEventName,
} from '@/features/jobs/events'

export interface EventSourceLike {
  readonly readyState: number
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void
  close(): void
}

export type EventSourceFactory = (url: string) => EventSourceLike

export type StreamStatus = 'idle' | 'connecting' | 'open' | 'reconnecting'

export interface Timers {
  setTimeout(handler: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface EventStreamOptions {
  url: () => string
  factory?: EventSourceFactory
  initialDelayMs?: number
  maxDelayMs?: number
  timers?: Timers
}

type Handler<N extends StudioEventName> = (event: StudioEvent<N>) => void
type AnyHandler = (event: StudioEvent) => void

const CLOSED = 2

const browserTimers: Timers = {
  setTimeout: (handler, ms) => window.setTimeout(handler, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
}

export class EventStream {
  readonly status: Ref<StreamStatus> = ref('idle')
  lastEventId: string | null = null

  private source: EventSourceLike | null = null
  private handlers = new Map<StudioEventName, Set<AnyHandler>>()
  private reconnectListeners = new Set<() => void>()
  private retryHandle: unknown = null
  private attempts = 0
  private wasOpen = false
  private readonly factory: EventSourceFactory
  private readonly timers: Timers
  private readonly initialDelayMs: number
  private readonly maxDelayMs: number

  constructor(private readonly options: EventStreamOptions) {
    this.factory =
      options.factory ?? ((url) => new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike)
    this.timers = options.timers ?? browserTimers
    this.initialDelayMs = options.initialDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 30_000
  }

  /** Subscribe to one event name; returns the unsubscribe function. */
  on<N extends StudioEventName>(name: N, handler: Handler<N>): () => void {
    let set = this.handlers.get(name)
    if (!set) {
      set = new Set()
      this.handlers.set(name, set)
    }
    const wrapped = handler as AnyHandler
    set.add(wrapped)
    return () => set.delete(wrapped)
  }

  /** Called after the stream comes back from a drop (stores refetch what may have changed). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener)
    return () => this.reconnectListeners.delete(listener)
  }

  start(): void {
    if (this.source || this.retryHandle !== null) return
    this.connect()
  }

  stop(): void {
    this.clearRetry()
    this.source?.close()
    this.source = null
    this.attempts = 0
    this.wasOpen = false
    this.status.value = 'idle'
  }

  /** Reconnect at once (the browser came back online). */
  retryNow(): void {
    if (this.status.value === 'idle' || this.status.value === 'open') return
    this.clearRetry()
    this.source?.close()
    this.source = null
    this.connect()
  }

  /** The delay before reconnect attempt `n` (1-based): 1 s, 2 s, 4 s … capped. */
  delayFor(attempt: number): number {
    return Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** Math.max(0, attempt - 1))
  }

  private connect(): void {
    const source = this.factory(this.buildUrl())
    this.source = source
    this.status.value = this.wasOpen ? 'reconnecting' : 'connecting'
    source.onopen = () => this.handleOpen()
    source.onerror = () => this.handleError(source)
    for (const name of STUDIO_EVENT_NAMES) {
      source.addEventListener(name, (message) => this.dispatch(message))
    }
  }

  private buildUrl(): string {
    const url = this.options.url()
    if (!this.lastEventId) return url
    const separator = url.includes('?') ? '&' : '?'
    return `${url}${separator}last_event_id=${encodeURIComponent(this.lastEventId)}`
  }

  private handleOpen(): void {
    const reconnected = this.wasOpen
    this.attempts = 0
    this.wasOpen = true
    this.status.value = 'open'
    if (reconnected) for (const listener of this.reconnectListeners) listener()
  }

  private handleError(source: EventSourceLike): void {
    if (source !== this.source) return
    if (source.readyState !== CLOSED) {
      // The browser is retrying on its own (and will send Last-Event-ID).
      this.status.value = 'reconnecting'
      return
    }
    source.close()
    this.source = null
    this.status.value = 'reconnecting'
    this.attempts += 1
    this.retryHandle = this.timers.setTimeout(() => {
      this.retryHandle = null
      this.connect()
    }, this.delayFor(this.attempts))
  }

  private dispatch(message: MessageEvent<string>): void {
    const event = parseStudioEvent(message.data)
    if (!event) return
    this.lastEventId = message.lastEventId || event.id
    for (const handler of this.handlers.get(event.name) ?? []) {
      try {
        handler(event)
      } catch (error) {
        console.error(`handler for ${event.name} failed`, error)
      }
    }
  }

  private clearRetry(): void {
    if (this.retryHandle !== null) this.timers.clearTimeout(this.retryHandle)
    this.retryHandle = null
  }
}
