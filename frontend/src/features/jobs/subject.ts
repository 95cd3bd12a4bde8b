/** Where a run's subject lives in the studio (a character, a scene, an episode) and what to call it. */
import type { RouteLocationRaw } from 'vue-router'
import type { RunState } from './store'

export interface SubjectNames {
  character: (id: number) => string | undefined
  scene: (id: number) => string | undefined
  episode: (id: number) => string | undefined
}

const ROUTES: Record<string, { name: string; param: string }> = {
  character: { name: 'generate', param: 'characterId' },
  scene: { name: 'scenes', param: 'sceneId' },
  episode: { name: 'episodes', param: 'episodeId' },
}

/** The page that shows the run's subject, or null when it has none the UI knows. */
export function subjectLink(run: Pick<RunState, 'subjectType' | 'subjectId' | 'projectId'>): RouteLocationRaw | null {
  const target = run.subjectType ? ROUTES[run.subjectType] : undefined
  if (!target || run.subjectId === null || run.projectId === null) return null
  return { name: target.name, params: { projectId: String(run.projectId), [target.param]: String(run.subjectId) } }
}

/** "Pip", "Harbour at dawn", or "scene 4" when the name is not loaded. */
export function subjectLabel(run: RunState, names: SubjectNames): string {
  if (run.subject) return run.subject
  if (run.subjectId === null || !run.subjectType) return ''
  const lookup = names[run.subjectType as keyof SubjectNames] as SubjectNames[keyof SubjectNames] | undefined
  return lookup?.(run.subjectId) ?? `${run.subjectType} ${run.subjectId}`
}
