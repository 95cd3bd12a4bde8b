import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import {
  CSRF_COOKIE,
  createApiClient,
  getOptional,
  readCookie,
  setCsrfToken,
  setUnauthorizedHandler,
  unwrap,
} from '@/api/http'

type Recorded = { method: string; url: string; headers: Headers; credentials: RequestCredentials }

function fakeFetch(status: number, body: unknown, calls: Recorded[]): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const request = input as Request
    calls.push({ method: request.method, url: request.url, headers: request.headers, credentials: request.credentials })
    const text = body === undefined ? null : JSON.stringify(body)
    return new Response(text, { status, headers: { 'Content-Type': 'application/json' } })
  }) as typeof fetch
}

function clearCookie(): void {
  document.cookie = `${CSRF_COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
}

describe('the API client', () => {
  beforeEach(() => {
    clearCookie()
    setCsrfToken(null)
    setUnauthorizedHandler(null)
  })
  afterEach(() => setUnauthorizedHandler(null))

  it('sends the CSRF token from the login response on writes, and never on reads', async () => {
    const calls: Recorded[] = []
    const client = createApiClient('http://studio.test', fakeFetch(200, { id: 1 }, calls))
    setCsrfToken('token-from-login')
    await client.GET('/api/lora/projects')
    await client.PATCH('/api/lora/projects/{project_id}', { params: { path: { project_id: 1 } }, body: { name: 'x' } })
    await client.DELETE('/api/lora/characters/{character_id}', { params: { path: { character_id: 2 } } })
    expect(calls.map((c) => [c.method, c.headers.get('X-CSRF-Token')])).toEqual([
      ['GET', null],
      ['PATCH', 'token-from-login'],
      ['DELETE', 'token-from-login'],
    ])
    expect(calls.every((c) => c.credentials === 'include')).toBe(true)
  })

  it('prefers the CSRF cookie (it follows re-logins in other tabs)', async () => {
    const calls: Recorded[] = []
    const client = createApiClient('http://studio.test', fakeFetch(200, {}, calls))
    setCsrfToken('stale')
    document.cookie = `${CSRF_COOKIE}=fresh-cookie-token; path=/`
    await client.POST('/api/lora/auth/logout')
    expect(calls[0]?.headers.get('X-CSRF-Token')).toBe('fresh-cookie-token')
  })

  it('resolves paths below the base URL (root path deployments)', async () => {
    const calls: Recorded[] = []
    const client = createApiClient('http://proxy.test/anime-studio', fakeFetch(200, {}, calls))
    await client.GET('/api/lora/auth/me')
    expect(calls[0]?.url).toBe('http://proxy.test/anime-studio/api/lora/auth/me')
  })

  it('reports a lost session, but not a wrong password', async () => {
    const onUnauthorized = vi.fn()
    setUnauthorizedHandler(onUnauthorized)
    const client = createApiClient('http://studio.test', fakeFetch(401, { detail: 'not authenticated' }, []))
    await expect(unwrap(client.POST('/api/lora/auth/login', { body: { username: 'a', password: 'b' } }))).rejects.toThrow()
    await expect(unwrap(client.GET('/api/lora/auth/me'))).rejects.toThrow()
    expect(onUnauthorized).not.toHaveBeenCalled()
    await expect(unwrap(client.GET('/api/lora/projects'))).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('turns {detail} errors into ApiError with a plain message', async () => {
    const client = createApiClient(
      'http://studio.test',
      fakeFetch(409, { detail: 'a project named "X" already exists' }, []),
    )
    const error = await unwrap(client.POST('/api/lora/projects', { body: { name: 'X' } as never })).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.message).toBe('A project named "X" already exists')
  })

  it('explains a network failure', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch')
    }) as typeof fetch
    const client = createApiClient('http://studio.test', failing)
    await expect(unwrap(client.GET('/api/lora/projects'))).rejects.toThrow(/Cannot reach the studio server/)
  })
})

describe('getOptional', () => {
  it('returns null when the endpoint does not exist', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"no API route"}', { status: 404 })))
    expect(await getOptional('/api/lora/engines', (raw) => raw)).toBeNull()
    vi.unstubAllGlobals()
  })

  it('parses the body when it exists', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('[1,2]', { status: 200 })))
    expect(await getOptional('/api/lora/engines', (raw) => (raw as number[]).length)).toBe(2)
    vi.unstubAllGlobals()
  })
})

describe('readCookie', () => {
  it('finds one cookie among several and decodes it', () => {
    expect(readCookie('b', 'a=1; b=x%3Dy; c=3')).toBe('x=y')
    expect(readCookie('missing', 'a=1')).toBeNull()
  })
})
