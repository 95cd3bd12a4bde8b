/** Where a citation leads: the tab and item it names, in the open project. */
import type { RouteLocationRaw } from 'vue-router'
import type { EchoCitation } from '@/api/types'

const ROUTES = new Set(['project', 'story', 'characters', 'scenes', 'episodes', 'approve', 'gallery'])

export function citationRoute(citation: EchoCitation, projectId: number): RouteLocationRaw | null {
  const name = String(citation.link.route ?? '')
  if (!ROUTES.has(name)) return null
  const raw = (citation.link.params ?? {}) as Record<string, unknown>
  const params: Record<string, string> = { projectId: String(projectId) }
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'number' || typeof value === 'string') params[key] = String(value)
  return { name, params }
}

export const KIND_LABELS: Record<string, string> = {
  project: 'Project',
  storyline: 'Storyline',
  world: 'World',
  character: 'Character',
  scene: 'Scene',
  shot: 'Shot',
  episode: 'Episode',
  review: 'Review',
}
