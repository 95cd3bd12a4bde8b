import { beforeEach, describe, expect, it, vi } from 'vitest'
import { EventStream, type EventSourceLike, type Timers } from '@/composables/eventStream'

/** A scriptable EventSource: tests open it, push named events, and fail it. */
class FakeEventSource implements EventSourceLike {
  readyState = 0
  onopen: EventSourceLike['onopen'] = null
  onerror: EventSourceLike['onerror'] = null
  closed = false
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>()

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  close(): void {
    this.closed = true
    this.readyState = 2
  }
  open(): void {
    this.readyState = 1
    this.onopen?.call(this, new Event('open'))
  }
  emit(name: string, data: unknown, id: string): void {
    const payload = JSON.stringify({ id, name, data, at: 1 })
    for (const listener of this.listeners.get(name) ?? []) {
      listener(new MessageEvent(name, { data: payload, lastEventId: id }))
    }
  }
  /** The browser retries by itself (CONNECTING) or gives up (CLOSED). */
  fail(readyState: 0 | 2): void {
    this.readyState = readyState
    this.onerror?.call(this, new Event('error'))
  }
}

class FakeTimers implements Timers {
  pending: { handler: () => void; ms: number; id: number }[] = []
  private next = 1
  setTimeout(handler: () => void, ms: number): unknown {
    const id = this.next++
    this.pending.push({ handler, ms, id })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle)
  }
  runNext(): number {
    const timer = this.pending.shift()
    if (!timer) throw new Error('no timer pending')
    timer.handler()
    return timer.ms
  }
}

describe('EventStream', () => {
  let sources: FakeEventSource[]
  let timers: FakeTimers
  let stream: EventStream

  beforeEach(() => {
    sources = []
    timers = new FakeTimers()
    stream = new EventStream({
      url: () => 'http://studio.test/api/lora/events',
      factory: (url) => {
        const source = new FakeEventSource(url)
        sources.push(source)
        return source
      },
      timers,
      initialDelayMs: 1000,
      maxDelayMs: 8000,
    })
  })

  const latest = () => sources[sources.length - 1]!

  it('opens one shared connection and delivers typed events to subscribers', () => {
    const progress = vi.fn()
    const changed = vi.fn()
    stream.on('run.progress', progress)
    stream.on('project.changed', changed)
    stream.start()
    stream.start()
    expect(sources).toHaveLength(1)
    latest().open()
    expect(stream.status.value).toBe('open')

    latest().emit('run.progress', { run_id: 7, progress: 0.5 }, 'e1')
    latest().emit('project.changed', { project_id: 3, action: 'updated' }, 'e2')
    expect(progress).toHaveBeenCalledWith(expect.objectContaining({ id: 'e1', name: 'run.progress', data: { run_id: 7, progress: 0.5 } }))
    expect(changed.mock.calls[0]?.[0].data).toEqual({ project_id: 3, action: 'updated' })
    expect(stream.lastEventId).toBe('e2')
  })

  it('unsubscribes', () => {
    const handler = vi.fn()
    const off = stream.on('run.finished', handler)
    stream.start()
    off()
    latest().emit('run.finished', { run_id: 1 }, 'e1')
    expect(handler).not.toHaveBeenCalled()
  })

  it('ignores malformed frames and survives a throwing handler', () => {
    const good = vi.fn()
    stream.on('run.queued', () => {
      throw new Error('boom')
    })
    stream.on('run.queued', good)
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    stream.start()
    const source = latest()
    source.emit('run.queued', { run_id: 1 }, 'ok')
    for (const listener of (source as unknown as { listeners: Map<string, ((e: MessageEvent<string>) => void)[]> }).listeners.get('run.queued') ?? []) {
      listener(new MessageEvent('run.queued', { data: 'not json' }))
    }
    expect(good).toHaveBeenCalledTimes(1)
  })

  it('lets the browser retry while CONNECTING (no second EventSource)', () => {
    stream.start()
    latest().open()
    latest().fail(0)
    expect(stream.status.value).toBe('reconnecting')
    expect(sources).toHaveLength(1)
    expect(timers.pending).toHaveLength(0)
  })

  it('reconnects with exponential backoff after the browser gives up, resuming from the last id', () => {
    const reconnected = vi.fn()
    stream.onReconnect(reconnected)
    stream.start()
    latest().open()
    latest().emit('run.started', { run_id: 1 }, 'abc')

    latest().fail(2)
    expect(sources[0]!.closed).toBe(true)
    expect(timers.runNext()).toBe(1000)
    expect(sources).toHaveLength(2)
    expect(latest().url).toBe('http://studio.test/api/lora/events?last_event_id=abc')

    latest().fail(2)
    expect(timers.runNext()).toBe(2000)
    latest().fail(2)
    expect(timers.runNext()).toBe(4000)
    latest().fail(2)
    expect(timers.runNext()).toBe(8000)
    latest().fail(2)
    expect(timers.runNext()).toBe(8000) // capped
    expect(reconnected).not.toHaveBeenCalled()

    latest().open()
    expect(stream.status.value).toBe('open')
    expect(reconnected).toHaveBeenCalledTimes(1)

    // A success resets the backoff.
    latest().fail(2)
    expect(timers.runNext()).toBe(1000)
  })

  it('does not announce a reconnect for the first connection', () => {
    const reconnected = vi.fn()
    stream.onReconnect(reconnected)
    stream.start()
    latest().fail(2)
    timers.runNext()
    latest().open()
    expect(reconnected).not.toHaveBeenCalled()
  })

  it('stop() closes the stream and cancels a pending retry', () => {
    stream.start()
    latest().open()
    latest().fail(2)
    expect(timers.pending).toHaveLength(1)
    stream.stop()
    expect(timers.pending).toHaveLength(0)
    expect(stream.status.value).toBe('idle')
    expect(sources).toHaveLength(1)
  })

  it('retryNow() skips the wait', () => {
    stream.start()
    latest().open()
    latest().fail(2)
    stream.retryNow()
    expect(sources).toHaveLength(2)
    expect(timers.pending).toHaveLength(0)
  })

  it('ignores errors from a source it already replaced', () => {
    stream.start()
    const first = latest()
    first.open()
    first.fail(2)
    timers.runNext()
    first.fail(2)
    expect(timers.pending).toHaveLength(0)
  })
})
