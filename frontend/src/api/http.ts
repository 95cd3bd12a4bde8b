/**
 * The one HTTP client of the app: the generated, typed openapi-fetch client with cookies,
 * the CSRF header on writes, plain-language errors and a redirect to login on 401.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch'
import { apiBaseUrl, apiUrl } from './base'
import { ApiError, networkError } from './errors'
import type { paths } from './schema'

export const CSRF_COOKIE = 'anime_studio_csrf'
export const CSRF_HEADER = 'X-CSRF-Token'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** A 401 from these means "wrong password" or "not signed in yet", not "session lost". */
const AUTH_PROBES = ['/api/lora/auth/login', '/api/lora/auth/me']

let csrfToken: string | null = null
let unauthorizedHandler: (() => void) | null = null

/** Remember the token from the login or `/auth/me` response (the cookie wins when both exist). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token || null
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

export function currentCsrfToken(): string | null {
  return readCookie(CSRF_COOKIE) ?? csrfToken
}

/** Called once per lost session (the app redirects to the login page). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler
}

function isAuthProbe(url: string): boolean {
  const path = new URL(url, document.baseURI).pathname
  return AUTH_PROBES.some((probe) => path.endsWith(probe))
}

/** Adds `X-CSRF-Token` on writes and reports 401s outside the auth probes. */
export const authMiddleware: Middleware = {
  onRequest({ request }) {
    const token = currentCsrfToken()
    if (!SAFE_METHODS.has(request.method) && token) request.headers.set(CSRF_HEADER, token)
    return request
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !isAuthProbe(request.url)) unauthorizedHandler?.()
    return response
  },
}

export type ApiClient = Client<paths>

export function createApiClient(baseUrl: string = apiBaseUrl(), fetchImpl?: typeof fetch): ApiClient {
  const client = createClient<paths>({
    baseUrl,
    credentials: 'include',
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  })
  client.use(authMiddleware)
  return client
}

let shared: ApiClient | null = null

/** The app-wide client (created on first use so tests can set `document.baseURI` first). */
export function api(): ApiClient {
  shared ??= createApiClient()
  return shared
}

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/** Await an openapi-fetch call: its data, or an `ApiError` with a message for people. */
export async function unwrap<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>
  try {
    result = await pending
  } catch (cause) {
    throw networkError(cause)
  }
  if (!result.response.ok) throw ApiError.from(result.response.status, result.error)
  return result.data as T
}

/**
 * GET an endpoint that may not exist on this server yet (optional features); `null` on 404.
 * `parse` checks the JSON shape at run time since the generated schema does not know it.
 */
export async function getOptional<T>(path: string, parse: (raw: unknown) => T): Promise<T | null> {
  let response: Response
  try {
    response = await fetch(apiUrl(path), { credentials: 'include', headers: { Accept: 'application/json' } })
  } catch (cause) {
    throw networkError(cause)
  }
  if (response.status === 404) return null
  const body: unknown = await response.json().catch(() => undefined)
  if (response.status === 401) unauthorizedHandler?.()
  if (!response.ok) throw ApiError.from(response.status, body)
  return parse(body)
}

/** A failure as one line for a toast. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}

/** openapi-fetch body serializer for multipart uploads (`{file: File}` → FormData; the browser sets the boundary). */
export function formData(body: unknown): FormData {
  const form = new FormData()
  for (const [key, value] of Object.entries(body as Record<string, string | Blob>)) form.append(key, value)
  return form
}
