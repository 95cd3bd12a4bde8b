/** Projects and their generation style; checkpoint suggestions when the server offers them. */
import { api, getOptional, unwrap } from '@/api/http'
import type {
  Page,
  ProjectCreate,
  ProjectDetail,
  ProjectSummary,
  ProjectUpdate,
  Style,
  StyleUpdate,
} from '@/api/types'

export function listProjects(limit: number, offset: number): Promise<Page<ProjectSummary>> {
  return unwrap(api().GET('/api/lora/projects', { params: { query: { limit, offset } } }))
}

export function getProject(projectId: number): Promise<ProjectDetail> {
  return unwrap(api().GET('/api/lora/projects/{project_id}', { params: { path: { project_id: projectId } } }))
}

export function createProject(body: ProjectCreate): Promise<ProjectDetail> {
  return unwrap(api().POST('/api/lora/projects', { body }))
}

export function updateProject(projectId: number, body: ProjectUpdate): Promise<ProjectDetail> {
  return unwrap(api().PATCH('/api/lora/projects/{project_id}', { params: { path: { project_id: projectId } }, body }))
}

export function deleteProject(projectId: number): Promise<void> {
  return unwrap(
    api().DELETE('/api/lora/projects/{project_id}', { params: { path: { project_id: projectId } } }),
  ).then(() => undefined)
}

export function getStyle(projectId: number): Promise<Style> {
  return unwrap(api().GET('/api/lora/projects/{project_id}/style', { params: { path: { project_id: projectId } } }))
}

export function saveStyle(projectId: number, body: StyleUpdate): Promise<Style> {
  return unwrap(
    api().PUT('/api/lora/projects/{project_id}/style', { params: { path: { project_id: projectId } }, body }),
  )
}

export interface Checkpoint {
  filename: string
  size_mb?: number
}

/** `{checkpoints: [{filename, size_mb}]}` (the spec's shape) or a plain list of names. */
export function parseCheckpoints(raw: unknown): Checkpoint[] {
  const list = Array.isArray(raw) ? raw : (raw as { checkpoints?: unknown } | null)?.checkpoints
  if (!Array.isArray(list)) return []
  return list.flatMap((item): Checkpoint[] => {
    if (typeof item === 'string') return [{ filename: item }]
    if (item && typeof item === 'object' && typeof (item as Checkpoint).filename === 'string') {
      const { filename, size_mb } = item as Checkpoint
      return [typeof size_mb === 'number' ? { filename, size_mb } : { filename }]
    }
    return []
  })
}

/** Checkpoint files the image engine can use; `null` when this server has no such endpoint. */
export function listCheckpoints(): Promise<Checkpoint[] | null> {
  return getOptional('/api/lora/checkpoints', parseCheckpoints)
}
