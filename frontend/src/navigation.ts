/** Only same-app paths are followed after login (never an absolute URL from the query string). */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return null
  return next
}
