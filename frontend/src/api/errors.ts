/** Turn API failures into messages a person can act on. */

export interface ValidationIssue {
  loc: (string | number)[]
  msg: string
  type: string
}

const LOCATION_ROOTS = new Set(['body', 'query', 'path', 'header', 'cookie'])

const STATUS_MESSAGES: Record<number, string> = {
  400: 'The studio could not accept that request.',
  401: 'Please sign in to continue.',
  403: 'You do not have permission to do that.',
  404: 'That item no longer exists.',
  409: 'That conflicts with something that already exists.',
  413: 'That is too large for the studio to accept.',
  422: 'Some fields are not valid.',
  429: 'Too many requests; wait a moment and try again.',
  502: 'The studio server is not reachable right now.',
  503: 'The studio (or one of its engines) is not available right now.',
  504: 'The studio took too long to answer.',
}

/** An HTTP failure with a plain-language `message` and per-field messages for forms. */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    readonly detail: unknown = undefined,
  ) {
    super(message)
  }

  /** Build from a response status and its decoded JSON body (`{detail}` or anything else). */
  static from(status: number, body: unknown): ApiError {
    const detail = isRecord(body) ? body.detail : undefined
    const issues = validationIssues(detail)
    const fields = issues ? fieldErrors(issues) : {}
    return new ApiError(status, describeDetail(detail, status), fields, detail)
  }
}

/** The request never got an answer (server down, offline, CORS, aborted). */
export function networkError(cause: unknown): ApiError {
  const aborted = cause instanceof DOMException && cause.name === 'AbortError'
  const message = aborted
    ? 'The request was cancelled.'
    : 'Cannot reach the studio server. Check that it is running and try again.'
  return new ApiError(0, message, {}, cause)
}

/** The message for any `detail`: a string, a list of pydantic issues, or nothing. */
export function describeDetail(detail: unknown, status: number): string {
  if (typeof detail === 'string' && detail.trim()) return sentence(detail)
  const issues = validationIssues(detail)
  if (issues && issues.length > 0) return describeIssues(issues)
  return statusMessage(status)
}

export function statusMessage(status: number): string {
  const known = STATUS_MESSAGES[status]
  if (known) return known
  if (status >= 500) return `The studio ran into a problem (error ${status}). Try again in a moment.`
  return `The request failed (error ${status}).`
}

export function validationIssues(detail: unknown): ValidationIssue[] | null {
  if (!Array.isArray(detail) || detail.length === 0) return null
  if (!detail.every((item) => isRecord(item) && typeof item.msg === 'string')) return null
  return detail.map((item: Record<string, unknown>) => ({
    loc: Array.isArray(item.loc) ? item.loc.filter(isKey) : [],
    msg: String(item.msg),
    type: typeof item.type === 'string' ? item.type : '',
  }))
}

export function describeIssues(issues: ValidationIssue[]): string {
  const lines = issues.slice(0, 4).map(describeIssue)
  const more = issues.length > 4 ? ` (and ${issues.length - 4} more)` : ''
  if (lines.length === 1) return `${lines[0]}.${more}`
  return `Please check: ${lines.join('; ')}.${more}`
}

/** "Width must be a multiple of 8" from `{loc: [body, width], msg: "Input should be a multiple of 8"}`. */
export function describeIssue(issue: ValidationIssue): string {
  const label = fieldLabel(issue.loc)
  const problem = plainProblem(issue)
  return label ? `${label} ${problem}` : sentence(problem)
}

/** Human name of a location: `[body, color_palette, primary, 0]` → "Color palette › primary › item 1". */
export function fieldLabel(loc: (string | number)[]): string {
  const parts = LOCATION_ROOTS.has(String(loc[0])) ? loc.slice(1) : loc
  return parts
    .map((part, index) => {
      if (typeof part === 'number') return `item ${part + 1}`
      const words = part.replace(/_/g, ' ').trim()
      return index === 0 ? sentence(words) : words
    })
    .join(' › ')
}

/** Form-field keys (`color_palette.primary.0`) → message, for showing errors beside inputs. */
export function fieldErrors(issues: ValidationIssue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const parts = LOCATION_ROOTS.has(String(issue.loc[0])) ? issue.loc.slice(1) : issue.loc
    const key = parts.join('.')
    if (key && !(key in out)) out[key] = sentence(plainProblem(issue))
  }
  return out
}

function plainProblem({ type, msg }: ValidationIssue): string {
  if (type === 'missing') return 'is required'
  if (type === 'string_too_short' && /at least 1 character/.test(msg)) return 'cannot be empty'
  if (type === 'string_pattern_mismatch' && msg.includes('#[0-9A-Fa-f]{6}')) {
    return 'must be a hex colour like #ff3366'
  }
  if (type === 'string_pattern_mismatch') return 'has characters or a format that is not allowed'
  if (type === 'int_parsing' || type === 'float_parsing') return 'must be a number'
  if (type === 'int_from_float') return 'must be a whole number'
  if (type === 'json_invalid') return 'is not valid JSON'
  if (type === 'value_error') return msg.replace(/^Value error,\s*/i, '')
  return msg
    .replace(/^(Input|String|Value|List|Dictionary) should be/i, 'must be')
    .replace(/^(Input|String|Value|List|Dictionary) should/i, 'should')
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isKey(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number'
}
