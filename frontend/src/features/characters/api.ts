/** Characters of a project and their composed prompt. */
import { api, unwrap } from '@/api/http'
import type { AppearanceData, Character, CharacterCreate, CharacterPrompt, CharacterUpdate, Page } from '@/api/types'

export function listCharacters(projectId: number, limit: number, offset: number): Promise<Page<Character>> {
  return unwrap(
    api().GET('/api/lora/projects/{project_id}/characters', {
      params: { path: { project_id: projectId }, query: { limit, offset } },
    }),
  )
}

export function createCharacter(projectId: number, body: CharacterCreate): Promise<Character> {
  return unwrap(
    api().POST('/api/lora/projects/{project_id}/characters', { params: { path: { project_id: projectId } }, body }),
  )
}

export function getCharacter(characterId: number): Promise<Character> {
  return unwrap(
    api().GET('/api/lora/characters/{character_id}', { params: { path: { character_id: characterId } } }),
  )
}

export function updateCharacter(characterId: number, body: CharacterUpdate): Promise<Character> {
  return unwrap(
    api().PATCH('/api/lora/characters/{character_id}', { params: { path: { character_id: characterId } }, body }),
  )
}

export function deleteCharacter(characterId: number): Promise<void> {
  return unwrap(
    api().DELETE('/api/lora/characters/{character_id}', { params: { path: { character_id: characterId } } }),
  ).then(() => undefined)
}

export function getPrompt(characterId: number): Promise<CharacterPrompt> {
  return unwrap(
    api().GET('/api/lora/characters/{character_id}/prompt', { params: { path: { character_id: characterId } } }),
  )
}

/** Ask the language engine to draft appearance data from the character's saved design prompt (nothing is stored). */
export async function draftAppearance(characterId: number): Promise<AppearanceData> {
  const response = await unwrap(
    api().POST('/api/lora/characters/narrate-appearance', { body: { character_id: characterId, save: false, missing_only: false } }),
  )
  const result = response.results[0]
  if (!result || result.status !== 'ok' || !result.appearance_data) {
    throw new Error(result?.error || 'The language engine returned no appearance.')
  }
  return result.appearance_data
}
