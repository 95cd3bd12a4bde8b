/** `/api/lora/training/…`: start, follow, cancel and resume trainings; epochs, loss, versions, promotion. */
import { api, unwrap } from '@/api/http'
import type { components } from '@/api/schema'

type Schemas = components['schemas']
export type Training = Schemas['TrainingRead']
export type TrainingStart = Schemas['TrainingStart']
export type Preset = Schemas['PresetRead']
export type Epoch = Schemas['EpochRead']
export type LoraVersion = Schemas['LoraVersionRead']
export type PromoteResult = Schemas['PromoteResult']

export function listPresets(): Promise<Preset[]> {
  return unwrap(api().GET('/api/lora/training/presets'))
}

export function startTraining(body: TrainingStart): Promise<Training> {
  return unwrap(api().POST('/api/lora/training/jobs', { body }))
}

export function listTrainings(characterId: number): Promise<Training[]> {
  return unwrap(api().GET('/api/lora/training/jobs', { params: { query: { character_id: characterId } } }))
}

export function getTraining(id: number): Promise<Training> {
  return unwrap(api().GET('/api/lora/training/jobs/{training_id}', { params: { path: { training_id: id } } }))
}

export function getLoss(id: number): Promise<[number, number][]> {
  return unwrap(api().GET('/api/lora/training/jobs/{training_id}/loss', { params: { path: { training_id: id } } })).then(
    (loss) => loss.points as [number, number][],
  )
}

export function listEpochs(id: number): Promise<Epoch[]> {
  return unwrap(api().GET('/api/lora/training/jobs/{training_id}/epochs', { params: { path: { training_id: id } } }))
}

export function cancelTraining(id: number): Promise<Training> {
  return unwrap(api().POST('/api/lora/training/jobs/{training_id}/cancel', { params: { path: { training_id: id } } }))
}

export function resumeTraining(id: number): Promise<Training> {
  return unwrap(api().POST('/api/lora/training/jobs/{training_id}/resume', { params: { path: { training_id: id } } }))
}

export function promoteEpoch(id: number, epoch: number | null): Promise<PromoteResult> {
  return unwrap(
    api().POST('/api/lora/training/jobs/{training_id}/promote', { params: { path: { training_id: id } }, body: { epoch } }),
  )
}

export function listVersions(characterId: number): Promise<LoraVersion[]> {
  return unwrap(api().GET('/api/lora/training/versions', { params: { query: { character_id: characterId } } }))
}

export function rerender(assetIds: number[], shotIds: number[] = []): Promise<number[]> {
  return unwrap(api().POST('/api/lora/training/rerender', { body: { asset_ids: assetIds, shot_ids: shotIds } })).then((r) => r.run_ids)
}
