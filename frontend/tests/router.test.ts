import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { ApiError } from '@/api/errors'
import { resetEventStream } from '@/composables/useEventStream'
import { safeNext } from '@/navigation'

vi.mock('@/features/auth/api', () => ({ me: vi.fn() }))
vi.mock('@/features/projects/api', () => ({ listProjects: vi.fn(), getProject: vi.fn(), getStyle: vi.fn() }))

const authApi = await import('@/features/auth/api')
const projectsApi = await import('@/features/projects/api')
const { createStudioRouter } = await import('@/router')

const user = { id: 1, username: 'a', role: 'admin' as const, is_active: true, created_at: '', last_login_at: null }

beforeEach(() => {
  setActivePinia(createPinia())
  resetEventStream()
  vi.clearAllMocks()
  localStorage.clear()
})

describe('router guards', () => {
  it('sends signed-out people to the login page with a way back', async () => {
    vi.mocked(authApi.me).mockRejectedValue(new ApiError(401, 'not authenticated'))
    const router = createStudioRouter(createMemoryHistory())
    await router.push('/projects/3/story')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.next).toBe('/projects/3/story')
  })

  it('opens the remembered project at home', async () => {
    vi.mocked(authApi.me).mockResolvedValue({ user, csrf_token: 'x' })
    vi.mocked(projectsApi.listProjects).mockResolvedValue({
      items: [{ id: 1 }, { id: 7 }] as never,
      total: 2,
      limit: 100,
      offset: 0,
    })
    vi.mocked(projectsApi.getProject).mockResolvedValue({ id: 7 } as never)
    vi.mocked(projectsApi.getStyle).mockResolvedValue({ id: 1 } as never)
    localStorage.setItem('anime-studio.last-project', '7')
    const router = createStudioRouter(createMemoryHistory())
    await router.push('/')
    expect(router.currentRoute.value.fullPath).toBe('/projects/7')
  })

  it('shows the first-run page when there is no project', async () => {
    vi.mocked(authApi.me).mockResolvedValue({ user, csrf_token: 'x' })
    vi.mocked(projectsApi.listProjects).mockResolvedValue({ items: [], total: 0, limit: 100, offset: 0 })
    const router = createStudioRouter(createMemoryHistory())
    await router.push('/')
    expect(router.currentRoute.value.name).toBe('projects')
  })

  it('leaves a project that no longer exists', async () => {
    vi.mocked(authApi.me).mockResolvedValue({ user, csrf_token: 'x' })
    vi.mocked(projectsApi.getProject).mockRejectedValue(new ApiError(404, 'Project 5 not found'))
    vi.mocked(projectsApi.getStyle).mockRejectedValue(new ApiError(404, 'Project 5 not found'))
    const router = createStudioRouter(createMemoryHistory())
    await router.push('/projects/5')
    expect(router.currentRoute.value.name).toBe('projects')
  })
})

describe('safeNext', () => {
  it('follows only same-app paths', () => {
    expect(safeNext('/projects/3')).toBe('/projects/3')
    expect(safeNext('//evil.example')).toBeNull()
    expect(safeNext('https://evil.example')).toBeNull()
    expect(safeNext(['/a'])).toBeNull()
  })
})
