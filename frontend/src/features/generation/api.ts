/** Start image or video generation of a character (`POST /generate/{character_id}`), watched as a run. */
import { api, unwrap } from '@/api/http'
import type { GenerateRequest, Run } from '@/api/types'

export function generate(characterId: number, body: GenerateRequest): Promise<Run> {
  return unwrap(api().POST('/api/lora/generate/{character_id}', { params: { path: { character_id: characterId } }, body }))
}
