/** Where the app lives: every URL is resolved against `<base href>` (rewritten by the server to its root path). */

/** The app root, e.g. `https://host/anime-studio/` (always ends in `/`). */
export function appRoot(): URL {
  const root = new URL('.', document.baseURI)
  return root
}

/** The root path for the router, e.g. `/anime-studio/`. */
export function routerBase(): string {
  return appRoot().pathname
}

/** The origin + root path without the trailing slash: API paths (`/api/lora/...`) are appended to it. */
export function apiBaseUrl(): string {
  return appRoot().href.replace(/\/$/, '')
}

/** Absolute URL of an API path such as `/api/lora/events`. */
export function apiUrl(path: string): string {
  return apiBaseUrl() + (path.startsWith('/') ? path : `/${path}`)
}

/** A path the server built itself (asset `file_url`s already carry the root path) as a full URL. */
export function serverUrl(path: string): string {
  return new URL(path, appRoot().origin).href
}
