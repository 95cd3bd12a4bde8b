/** Friendly names for the generated schema types used across the app. */
import type { components } from './schema'

type Schemas = components['schemas']

export type User = Schemas['UserRead']
export type Role = User['role']
export type LoginResponse = Schemas['LoginResponse']
export type TokenRead = Schemas['TokenRead']
export type TokenCreated = Schemas['TokenCreated']
export type UserCreate = Schemas['UserCreate']
export type UserUpdate = Schemas['UserUpdate']

export type ProjectSummary = Schemas['ProjectSummary']
export type ProjectDetail = Schemas['ProjectDetail']
export type ProjectCreate = Schemas['ProjectCreate']
export type ProjectUpdate = Schemas['ProjectUpdate']
export type Style = Schemas['StyleRead']
export type StyleUpdate = Schemas['StyleUpdate']

export type Storyline = Schemas['StorylineRead']
export type StorylineFields = Schemas['StorylineFields']
export type WorldSettings = Schemas['WorldSettingsRead']
export type WorldSettingsFields = Schemas['WorldSettingsFields']
export type ColorPalette = Schemas['ColorPalette']

export type Character = Schemas['CharacterRead']
export type CharacterCreate = Schemas['CharacterCreate']
export type CharacterUpdate = Schemas['CharacterUpdate']
export type AppearanceData = Schemas['AppearanceData']
export type Voice = Schemas['Voice']
export type CharacterPrompt = Schemas['CharacterPrompt']

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}
