/** The learning system and auto-correction: insights per character, drift warnings, the switch, corrections. */
import { api, unwrap } from '@/api/http'
import type { components } from '@/api/schema'

type Schemas = components['schemas']
export type Insights = Schemas['InsightsRead']
export type ParameterRate = Schemas['ParameterRate']
export type DriftWarning = Schemas['DriftWarningRead']
export type Correction = Schemas['CorrectionRead']
export type Strategy = NonNullable<Schemas['CorrectionRequest']['strategy']>

export const STRATEGIES: readonly Strategy[] = [
  'fix_quality', 'fix_resolution', 'fix_blur', 'fix_brightness', 'fix_contrast', 'fix_appearance', 'fix_solo',
]

export function getInsights(characterId: number): Promise<Insights> {
  return unwrap(api().GET('/api/lora/learning/characters/{character_id}/insights', { params: { path: { character_id: characterId } } }))
}

export function listDriftWarnings(characterId: number): Promise<DriftWarning[]> {
  return unwrap(api().GET('/api/lora/learning/drift-warnings', { params: { query: { character_id: characterId } } }))
}

export function dismissDriftWarning(warningId: number): Promise<DriftWarning> {
  return unwrap(api().POST('/api/lora/learning/drift-warnings/{warning_id}/dismiss', { params: { path: { warning_id: warningId } } }))
}

export function getAutoCorrection(projectId: number): Promise<boolean> {
  return unwrap(
    api().GET('/api/lora/learning/projects/{project_id}/auto-correction', { params: { path: { project_id: projectId } } }),
  ).then((setting) => setting.enabled)
}

export function setAutoCorrection(projectId: number, enabled: boolean): Promise<boolean> {
  return unwrap(
    api().PUT('/api/lora/learning/projects/{project_id}/auto-correction', {
      params: { path: { project_id: projectId } },
      body: { enabled },
    }),
  ).then((setting) => setting.enabled)
}

export function listCorrections(characterId: number): Promise<Correction[]> {
  return unwrap(
    api().GET('/api/lora/learning/characters/{character_id}/corrections', { params: { path: { character_id: characterId } } }),
  )
}

export function requestCorrection(assetId: number, strategy: Strategy | null = null): Promise<Correction> {
  return unwrap(api().POST('/api/lora/learning/corrections', { body: { asset_id: assetId, strategy } }))
}

/** "fix_brightness" → "brightness" (how the panel names a strategy). */
export function strategyLabel(strategy: string): string {
  return strategy.replace(/^fix_/, '').replace(/_/g, ' ')
}
