/** A character's voice samples: upload, transcribe, correct, and make a transcript a shot's line. */
import { serverUrl } from '@/api/base'
import { api, formData, unwrap } from '@/api/http'
import type { components } from '@/api/schema'
import type { Shot } from '@/api/types'

export type VoiceSample = components['schemas']['VoiceRead']

export function listVoices(characterId: number): Promise<VoiceSample[]> {
  return unwrap(api().GET('/api/lora/characters/{character_id}/voices', { params: { path: { character_id: characterId } } }))
}

export function uploadVoice(characterId: number, file: File): Promise<VoiceSample> {
  return unwrap(
    api().POST('/api/lora/characters/{character_id}/voices', {
      params: { path: { character_id: characterId } },
      body: { file: file as unknown as string },
      bodySerializer: formData,
    }),
  )
}

export function deleteVoice(sampleId: number): Promise<void> {
  return unwrap(api().DELETE('/api/lora/voices/{sample_id}', { params: { path: { sample_id: sampleId } } })).then(() => undefined)
}

export function transcribe(sampleId: number): Promise<VoiceSample> {
  return unwrap(api().POST('/api/lora/voices/{sample_id}/transcribe', { params: { path: { sample_id: sampleId } } }))
}

export function saveTranscript(sampleId: number, transcript: string): Promise<VoiceSample> {
  return unwrap(api().PUT('/api/lora/voices/{sample_id}/transcript', { params: { path: { sample_id: sampleId } }, body: { transcript } }))
}

export function toDialogue(sampleId: number, shotId: number): Promise<Shot> {
  return unwrap(api().POST('/api/lora/voices/{sample_id}/dialogue', { params: { path: { sample_id: sampleId } }, body: { shot_id: shotId } }))
}

export function voiceUrl(sample: Pick<VoiceSample, 'file_url'>): string {
  return serverUrl(sample.file_url)
}
