import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { currentCsrfToken, setCsrfToken } from '@/api/http'
import type { Character, CharacterPrompt, ProjectDetail, Style } from '@/api/types'
import { resetEventStream } from '@/composables/useEventStream'

vi.mock('@/features/auth/api', () => ({ me: vi.fn(), login: vi.fn(), logout: vi.fn() }))
vi.mock('@/features/projects/api', () => ({
  listProjects: vi.fn(),
  getProject: vi.fn(),
  getStyle: vi.fn(),
  deleteProject: vi.fn(),
  updateProject: vi.fn(),
}))
vi.mock('@/features/characters/api', () => ({
  listCharacters: vi.fn(),
  updateCharacter: vi.fn(),
  getPrompt: vi.fn(),
  deleteCharacter: vi.fn(),
}))

const authApi = await import('@/features/auth/api')
const projectsApi = await import('@/features/projects/api')
const charactersApi = await import('@/features/characters/api')
const { useAuthStore } = await import('@/features/auth/store')
const { rememberedProjectId, useProjectsStore } = await import('@/features/projects/store')
const { useCharactersStore } = await import('@/features/characters/store')

const user = { id: 1, username: 'mika', role: 'editor' as const, is_active: true, created_at: '', last_login_at: null }

beforeEach(() => {
  setActivePinia(createPinia())
  resetEventStream()
  vi.clearAllMocks()
  localStorage.clear()
  setCsrfToken(null)
})

describe('auth store', () => {
  it('treats a 401 from /auth/me as signed out', async () => {
    vi.mocked(authApi.me).mockRejectedValue(new ApiError(401, 'Please sign in'))
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.checked).toBe(true)
    expect(auth.signedIn).toBe(false)
  })

  it('keeps the CSRF token from login and knows what the role may do', async () => {
    vi.mocked(authApi.login).mockResolvedValue({ user, csrf_token: 'csrf-1' })
    const auth = useAuthStore()
    await auth.login('mika', 'pw')
    expect(currentCsrfToken()).toBe('csrf-1')
    expect(auth.canEdit).toBe(true)
    expect(auth.isAdmin).toBe(false)
    vi.mocked(authApi.logout).mockResolvedValue()
    await auth.logout()
    expect(auth.user).toBeNull()
    expect(currentCsrfToken()).toBeNull()
  })

  it('reviewers may not edit', async () => {
    vi.mocked(authApi.me).mockResolvedValue({ user: { ...user, role: 'reviewer' }, csrf_token: 'x' })
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.canEdit).toBe(false)
  })
})

describe('projects store', () => {
  const project = { id: 4, name: 'Lantern Road' } as ProjectDetail
  const style = { id: 9, steps: 25 } as Style

  it('opens a project with its style and remembers it', async () => {
    vi.mocked(projectsApi.getProject).mockResolvedValue(project)
    vi.mocked(projectsApi.getStyle).mockResolvedValue(style)
    const projects = useProjectsStore()
    await projects.open(4)
    expect(projects.current).toEqual(project)
    expect(projects.style).toEqual(style)
    expect(rememberedProjectId()).toBe(4)
    await projects.open(4)
    expect(projectsApi.getProject).toHaveBeenCalledTimes(1)
  })

  it('forgets a deleted project', async () => {
    vi.mocked(projectsApi.getProject).mockResolvedValue(project)
    vi.mocked(projectsApi.getStyle).mockResolvedValue(style)
    vi.mocked(projectsApi.deleteProject).mockResolvedValue()
    const projects = useProjectsStore()
    await projects.open(4)
    await projects.remove(4)
    expect(projects.currentId).toBeNull()
    expect(rememberedProjectId()).toBeNull()
  })

  it('reports a project that cannot be opened', async () => {
    vi.mocked(projectsApi.getProject).mockRejectedValue(new ApiError(404, 'Project 4 not found'))
    vi.mocked(projectsApi.getStyle).mockResolvedValue(style)
    const projects = useProjectsStore()
    await expect(projects.open(4)).rejects.toThrow('Project 4 not found')
    expect(projects.error).toBe('Project 4 not found')
    expect(rememberedProjectId()).toBeNull()
  })
})

describe('characters store', () => {
  const mika = { id: 2, project_id: 4, name: 'Mika' } as Character
  const prompt = { character_id: 2, positive: 'a', negative: 'b' } as CharacterPrompt

  it('loads the roster of a project and refreshes the prompt after a save', async () => {
    vi.mocked(charactersApi.listCharacters).mockResolvedValue({ items: [mika], total: 1, limit: 100, offset: 0 })
    vi.mocked(charactersApi.updateCharacter).mockResolvedValue({ ...mika, name: 'Mika B' })
    vi.mocked(charactersApi.getPrompt).mockResolvedValue(prompt)
    const characters = useCharactersStore()
    await characters.load(4)
    expect(charactersApi.listCharacters).toHaveBeenCalledWith(4, 100, 0)
    expect(characters.byId.get(2)?.name).toBe('Mika')

    await characters.update(2, { name: 'Mika B' })
    expect(characters.byId.get(2)?.name).toBe('Mika B')
    expect(characters.prompts[2]).toEqual(prompt)
  })

  it('keeps a prompt error per character', async () => {
    vi.mocked(charactersApi.getPrompt).mockRejectedValue(new ApiError(404, 'Character 2 not found'))
    const characters = useCharactersStore()
    await characters.refreshPrompt(2)
    expect(characters.promptErrors[2]).toBe('Character 2 not found')
  })
})
