/** The studio's Server-Sent Events: names (see backend `events/names.py`) and their payloads. */

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/**
 * Payload of `run.*` events. Only `run_id` is required: producers add what they know
 * (kind, subject, progress 0–1, a human message, error), and the jobs store merges updates.
 */
export interface RunEventData {
  run_id: string | number
  kind?: string
  subject?: string | null
  status?: RunStatus
  progress?: number | null
  message?: string | null
  error?: string | null
  project_id?: number | null
  /** What the run works on: `character`, `scene`, `episode` … and its id. */
  subject_type?: string | null
  subject_id?: number | null
}

/** `scene.updated`: the scene's status, and one shot's when `shot_id` is present. */
export interface SceneUpdatedData {
  scene_id: number
  status: string
  run_id?: number | null
  shot_id?: number
  shot_status?: string
  position?: number
}

export interface EpisodeUpdatedData {
  episode_id: number
  status: string
}

/** `image.approved` / `image.rejected` (`by` is null for auto-triage). */
export interface ImageJudgedData {
  asset_id: number
  character_id: number | null
  by?: number | null
  feedback?: string
}

export interface GenerationCompletedData {
  asset_id: number
  character_id: number
}

export interface ProjectChangedData {
  project_id: number
  action: 'created' | 'updated' | 'deleted'
}

export interface CharacterChangedData {
  character_id: number
  project_id: number
}

/** `lora.progress`: a training's step, epoch, ETA (and the latest loss, when the engine reports one). */
export interface LoraProgressData {
  training_id: number
  step: number
  total_steps: number
  epoch: number
  eta_seconds: number | null
  loss: number | null
}

/** `lora.epoch`: an epoch was saved, scored, or the best epoch chosen. */
export interface LoraEpochData {
  training_id: number
  epoch: number | null
  stage: 'saved' | 'scored' | 'best'
  score?: number | null
}

export interface LoraPromotedData {
  character_id: number
  version_id: number
  previous_id: number | null
}

/** `quality.drift`: a character's newest decisions fell against its baseline (learning system). */
export interface QualityDriftData {
  warning_id: number
  character_id: number
  project_id: number
  metric: string
  baseline: number
  recent: number
  message: string
}

/** `review.updated` / `review.commented`: a version, status or comment of a shot, scene or episode changed. */
export interface ReviewEventData {
  subject_type: 'shot' | 'scene' | 'episode'
  subject_id: number
  project_id: number
  version_id: number | null
  status?: string
  comment_id?: number
}

export interface StudioEventMap {
  'run.queued': RunEventData
  'run.started': RunEventData
  'run.progress': RunEventData
  'run.finished': RunEventData
  'project.changed': ProjectChangedData
  'character.changed': CharacterChangedData
  'scene.updated': SceneUpdatedData
  'episode.updated': EpisodeUpdatedData
  'image.approved': ImageJudgedData
  'image.rejected': ImageJudgedData
  'generation.submitted': Record<string, unknown>
  'generation.completed': GenerationCompletedData
  'feedback.recorded': Record<string, unknown>
  'regeneration.queued': Record<string, unknown>
  'lora.progress': LoraProgressData
  'lora.epoch': LoraEpochData
  'lora.promoted': LoraPromotedData
  'quality.drift': QualityDriftData
  'review.updated': ReviewEventData
  'review.commented': ReviewEventData
}

export type StudioEventName = keyof StudioEventMap

export const STUDIO_EVENT_NAMES: readonly StudioEventName[] = [
  'run.queued',
  'run.started',
  'run.progress',
  'run.finished',
  'project.changed',
  'character.changed',
  'scene.updated',
  'episode.updated',
  'image.approved',
  'image.rejected',
  'generation.submitted',
  'generation.completed',
  'feedback.recorded',
  'regeneration.queued',
  'lora.progress',
  'lora.epoch',
  'lora.promoted',
  'quality.drift',
  'review.updated',
  'review.commented',
]

/** One event as the server frames it: `data: {"id", "name", "data", "at"}`. */
export interface StudioEvent<N extends StudioEventName = StudioEventName> {
  id: string
  name: N
  data: StudioEventMap[N]
  at: number
}

/** Decode one SSE `data:` line; `null` for anything that is not a studio event. */
export function parseStudioEvent(raw: string): StudioEvent | null {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const record = value as Record<string, unknown>
  if (typeof record.name !== 'string' || typeof record.id !== 'string') return null
  if (typeof record.data !== 'object' || record.data === null) return null
  return {
    id: record.id,
    name: record.name as StudioEventName,
    data: record.data as StudioEventMap[StudioEventName],
    at: typeof record.at === 'number' ? record.at : Date.now() / 1000,
  }
}
