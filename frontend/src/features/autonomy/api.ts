/** The replenishment loop (`/replenishment/*`): status, switch, targets, readiness and guard settings. */
import { api, unwrap } from '@/api/http'
import type { components } from '@/api/schema'

type Schemas = components['schemas']
export type LoopStatus = Schemas['ReplenishmentStatus']
export type LoopCharacter = Schemas['CharacterStatus']
export type GuardSettings = Schemas['GuardSettings']
export type GuardSettingsUpdate = Schemas['GuardSettingsUpdate']
export type Readiness = Schemas['Readiness']

export function loopStatus(): Promise<LoopStatus> {
  return unwrap(api().GET('/api/lora/replenishment/status'))
}

export function toggleLoop(enabled: boolean): Promise<LoopStatus> {
  return unwrap(api().POST('/api/lora/replenishment/toggle', { params: { query: { enabled } } }))
}

export function setTarget(characterSlug: string, target: number, projectName: string): Promise<LoopCharacter> {
  return unwrap(
    api().POST('/api/lora/replenishment/target', {
      params: { query: { target, character_slug: characterSlug, project_name: projectName } },
    }),
  )
}

export function readiness(): Promise<Readiness> {
  return unwrap(api().GET('/api/lora/replenishment/readiness'))
}

export function saveGuards(body: GuardSettingsUpdate): Promise<GuardSettings> {
  return unwrap(api().PUT('/api/lora/replenishment/settings', { body }))
}
