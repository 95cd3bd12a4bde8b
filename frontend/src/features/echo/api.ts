/** Echo Brain: conversations, streamed answers (Server-Sent Events over a POST), confirmations, prompt help. */
import { apiUrl } from '@/api/base'
import { ApiError, networkError } from '@/api/errors'
import { api, currentCsrfToken, CSRF_HEADER, unwrap } from '@/api/http'
import type { EchoAction, EchoCitation, EchoConversation, EchoConversationDetail, EchoMessage, EnhanceResponse } from '@/api/types'

export type PromptField = 'design' | 'motion' | 'extra'

export function listConversations(projectId: number): Promise<EchoConversation[]> {
  return unwrap(api().GET('/api/lora/echo/conversations', { params: { query: { project_id: projectId } } }))
}

export function createConversation(projectId: number): Promise<EchoConversation> {
  return unwrap(api().POST('/api/lora/echo/conversations', { body: { project_id: projectId, title: '' } }))
}

export function getConversation(id: number): Promise<EchoConversationDetail> {
  return unwrap(api().GET('/api/lora/echo/conversations/{conversation_id}', { params: { path: { conversation_id: id } } }))
}

export function decideAction(id: number, confirm: boolean): Promise<EchoAction> {
  const params = { params: { path: { action_id: id } } }
  return unwrap(confirm ? api().POST('/api/lora/echo/actions/{action_id}/confirm', params) : api().POST('/api/lora/echo/actions/{action_id}/decline', params))
}

export function enhancePrompt(projectId: number, field: PromptField, prompt: string): Promise<EnhanceResponse> {
  return unwrap(api().POST('/api/lora/echo/enhance-prompt', { body: { project_id: projectId, field, prompt } }))
}

export interface AnswerHandlers {
  sources?: (citations: EchoCitation[]) => void
  delta: (text: string) => void
}

/** One SSE frame (`event:` + `data:` lines) as name and parsed data; comments and partial frames give null. */
export function parseFrame(block: string): { event: string; data: unknown } | null {
  let event = 'message'
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim()
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
  }
  if (!data.length) return null
  return { event, data: JSON.parse(data.join('\n')) as unknown }
}

/** Ask and read the answer as it streams; resolves with the stored assistant message. */
export async function ask(conversationId: number, question: string, handlers: AnswerHandlers): Promise<EchoMessage> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' }
  const token = currentCsrfToken()
  if (token) headers[CSRF_HEADER] = token
  let response: Response
  try {
    response = await fetch(apiUrl(`/api/lora/echo/conversations/${conversationId}/ask`), {
      method: 'POST',
      credentials: 'include',
      headers,
      body: JSON.stringify({ question }),
    })
  } catch (cause) {
    throw networkError(cause)
  }
  if (!response.ok || !response.body) throw ApiError.from(response.status, await response.json().catch(() => undefined))
  return readAnswer(response.body, handlers)
}

/** The frames of an answer stream, dispatched as they arrive. */
export async function readAnswer(body: ReadableStream<Uint8Array>, handlers: AnswerHandlers): Promise<EchoMessage> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let message: EchoMessage | null = null
  for (;;) {
    const { value, done } = await reader.read()
    if (value) buffer += decoder.decode(value, { stream: true })
    let cut: number
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = parseFrame(buffer.slice(0, cut))
      buffer = buffer.slice(cut + 2)
      if (frame?.event === 'sources') handlers.sources?.(frame.data as EchoCitation[])
      else if (frame?.event === 'delta') handlers.delta((frame.data as { text: string }).text)
      else if (frame?.event === 'message') message = frame.data as EchoMessage
      else if (frame?.event === 'error') throw new ApiError(502, (frame.data as { detail: string }).detail)
    }
    if (done) break
  }
  if (!message) throw new ApiError(502, 'The answer ended before it was complete.')
  return message
}
