/** Engine status (`GET /api/lora/engines`), shown only when the server has that endpoint. */
import { getOptional } from '@/api/http'

export type EngineKind = 'image' | 'video' | 'vision' | 'llm' | 'tts' | 'music' | 'publish' | 'training'

/** Mirrors the backend's `EngineStatus` (engines/base.py). */
export interface EngineStatus {
  kind: EngineKind | string
  name: string
  reachable: boolean
  detail: string
  models: string[]
  extra: Record<string, unknown>
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Accepts a list or `{engines: [...]}`; drops entries without a kind and a name. */
export function parseEngines(raw: unknown): EngineStatus[] {
  const list = Array.isArray(raw) ? raw : isObject(raw) ? raw.engines : null
  if (!Array.isArray(list)) return []
  return list.filter(isObject).flatMap((item): EngineStatus[] => {
    if (typeof item.kind !== 'string' || typeof item.name !== 'string') return []
    return [
      {
        kind: item.kind,
        name: item.name,
        reachable: item.reachable === true,
        detail: typeof item.detail === 'string' ? item.detail : '',
        models: Array.isArray(item.models) ? item.models.filter((m): m is string => typeof m === 'string') : [],
        extra: isObject(item.extra) ? item.extra : {},
      },
    ]
  })
}

export function listEngines(): Promise<EngineStatus[] | null> {
  return getOptional('/api/lora/engines', parseEngines)
}

/** One ComfyUI backend of the render pool (`GET /api/lora/gpu/status`). */
export interface GpuBackendStatus {
  url: string
  reachable: boolean | null
  running: number
  queued: number
  waitingInQueue: number
  vramFree: number | null
  vramTotal: number | null
  device: string
  lastError: string
}

export interface GpuSummary {
  scheduler: string
  backends: GpuBackendStatus[]
  note: string
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** The GPU pool's state; an empty pool (CPU engines only) when the answer has no backends. */
export function parseGpu(raw: unknown): GpuSummary {
  if (!isObject(raw)) return { scheduler: 'none', backends: [], note: '' }
  const list = Array.isArray(raw.backends) ? raw.backends.filter(isObject) : []
  return {
    scheduler: typeof raw.scheduler === 'string' ? raw.scheduler : 'none',
    note: typeof raw.note === 'string' ? raw.note : '',
    backends: list.flatMap((item): GpuBackendStatus[] =>
      typeof item.url !== 'string'
        ? []
        : [
            {
              url: item.url,
              reachable: typeof item.reachable === 'boolean' ? item.reachable : null,
              running: num(item.running) ?? 0,
              queued: num(item.queued) ?? 0,
              waitingInQueue: num(item.waiting_in_queue) ?? 0,
              vramFree: num(item.vram_free),
              vramTotal: num(item.vram_total),
              device: typeof item.device === 'string' ? item.device : '',
              lastError: typeof item.last_error === 'string' ? item.last_error : '',
            },
          ],
    ),
  }
}

export function gpuStatus(): Promise<GpuSummary | null> {
  return getOptional('/api/lora/gpu/status', parseGpu)
}
