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
