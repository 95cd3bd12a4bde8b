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

export type Run = Schemas['RunRead']
export type GpuStatus = Schemas['GpuStatus']
export type GpuBackend = Schemas['GpuBackend']

export type Asset = Schemas['AssetRead']
export type AssetDetail = Schemas['AssetDetail']
export type AssetKind = Asset['kind']
export type AssetStatus = Asset['status']
export type GalleryPage = Schemas['GalleryPage']
export type ReferenceImages = Schemas['ReferenceImages']
export type GenerateRequest = Schemas['GenerateRequest']

export type Scene = Schemas['SceneRead']
export type SceneDetail = Schemas['SceneDetail']
export type SceneCreate = Schemas['SceneCreate']
export type SceneUpdate = Schemas['SceneUpdate']
export type SceneStatus = Schemas['SceneStatus']
export type Shot = Schemas['ShotRead']
export type ShotCreate = Schemas['ShotCreate']
export type ShotUpdate = Schemas['ShotUpdate']
export type ShotStatus = Schemas['ShotStatus']
export type StoryScenes = Schemas['StoryScenes']

export type Episode = Schemas['EpisodeRead']
export type EpisodeDetail = Schemas['EpisodeDetail']
export type EpisodeCreate = Schemas['EpisodeCreate']
export type EpisodeUpdate = Schemas['EpisodeUpdate']
export type EpisodeScene = Schemas['EpisodeSceneRead']
/** A previewed story plan as the server accepts it back (`generate-from-story?create=true`). */
export type ScenePlan = Schemas['PlannedScene']

export type DatasetView = Schemas['DatasetView']
export type DatasetImage = Schemas['DatasetImage']
export type DatasetSettings = Schemas['DatasetSettings']
export type ReviewDecision = Schemas['ReviewDecision']
export type DatasetExport = Schemas['ExportResult']

export type EchoConversation = Schemas['ConversationRead']
export type EchoConversationDetail = Schemas['ConversationDetail']
export type EchoMessage = Schemas['MessageRead']
export type EchoAction = Schemas['ActionRead']
export type EchoCitation = Schemas['Citation']
export type EnhanceResponse = Schemas['EnhanceResponse']
export type PromptDiffPart = Schemas['DiffPart']
export type ReviewRead = Schemas['ReviewRead']
export type ReviewVersion = Schemas['ReviewVersionRead']
export type ReviewComment = Schemas['CommentRead']
export type ReviewStatus = Schemas['StatusUpdate']['status']
export type ReviewSubjectType = 'shot' | 'scene' | 'episode'
export type ReviewStorage = Schemas['StorageRead']
