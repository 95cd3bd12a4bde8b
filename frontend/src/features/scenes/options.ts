/** Choices of the scene and shot forms (the backend validates the same sets). */
import type { ShotCreate } from '@/api/types'

type ShotType = NonNullable<ShotCreate['shot_type']>
type CameraAngle = NonNullable<ShotCreate['camera_angle']>
type Transition = NonNullable<ShotCreate['transition_type']>

export const SHOT_TYPES: readonly { value: ShotType; label: string }[] = [
  { value: 'establishing', label: 'Establishing' },
  { value: 'wide', label: 'Wide' },
  { value: 'medium', label: 'Medium' },
  { value: 'close-up', label: 'Close-up' },
  { value: 'extreme_close-up', label: 'Extreme close-up' },
  { value: 'action', label: 'Action' },
]

export const CAMERA_ANGLES: readonly { value: CameraAngle; label: string }[] = [
  { value: 'eye_level', label: 'Eye level' },
  { value: 'low_angle', label: 'Low angle' },
  { value: 'high_angle', label: 'High angle' },
  { value: 'birds_eye', label: "Bird's eye" },
  { value: 'dutch', label: 'Dutch tilt' },
  { value: 'over_the_shoulder', label: 'Over the shoulder' },
  { value: 'pov', label: 'Point of view' },
]

export const TRANSITIONS: readonly { value: Transition; label: string }[] = [
  { value: 'dissolve', label: 'Dissolve' },
  { value: 'fade', label: 'Fade' },
  { value: 'wipe', label: 'Wipe' },
  { value: 'cut', label: 'Cut' },
]

export const TIMES_OF_DAY = ['dawn', 'morning', 'noon', 'afternoon', 'dusk', 'evening', 'night'] as const

export const CONTINUITY = [
  { value: 'chain', label: 'Chain', hint: "Each shot without its own image goes on from the previous shot's picture when everyone it shows is in it; otherwise a keyframe with its cast is drawn." },
  { value: 'keyframes', label: 'Keyframes', hint: 'Each shot without its own image starts from a freshly drawn keyframe.' },
] as const

export function labelOf(options: readonly { value: string; label: string }[], value: string): string {
  return options.find((o) => o.value === value)?.label ?? value.replace(/_/g, ' ')
}

export function isShotType(value: string): value is ShotType {
  return SHOT_TYPES.some((o) => o.value === value)
}

export function isCameraAngle(value: string): value is CameraAngle {
  return CAMERA_ANGLES.some((o) => o.value === value)
}

/** Scene and shot states as people read them, with a badge tone. */
export const SCENE_STATES: Record<string, { label: string; tone: 'neutral' | 'accent' | 'warning' | 'danger' | 'success' }> = {
  draft: { label: 'Draft', tone: 'neutral' },
  queued: { label: 'Queued', tone: 'accent' },
  generating: { label: 'Generating', tone: 'accent' },
  completed: { label: 'Completed', tone: 'success' },
  partial: { label: 'Partial', tone: 'warning' },
  failed: { label: 'Failed', tone: 'danger' },
  pending: { label: 'Pending', tone: 'neutral' },
  low_quality: { label: 'Low quality', tone: 'warning' },
  assembling: { label: 'Assembling', tone: 'accent' },
  assembled: { label: 'Assembled', tone: 'success' },
  publishing: { label: 'Publishing', tone: 'accent' },
  published: { label: 'Published', tone: 'success' },
}

export function stateOf(status: string) {
  return SCENE_STATES[status] ?? { label: status.replace(/_/g, ' '), tone: 'neutral' as const }
}

/** A shot's first frame in the editor: `'keep'` its current image, `null` none, a number that image asset. */
export type SourceChoice = number | null | 'keep'
