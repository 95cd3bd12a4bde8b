/** Echo Brain conversations of the open project, and the answer streaming in. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { EchoAction, EchoCitation, EchoConversation, EchoConversationDetail } from '@/api/types'
import * as echoApi from './api'

export const useEchoStore = defineStore('echo', () => {
  const projectId = ref<number | null>(null)
  const conversations = ref<EchoConversation[]>([])
  const current = ref<EchoConversationDetail | null>(null)
  /** The answer while it streams: its sources and the text so far. */
  const streaming = ref<{ question: string; text: string; sources: EchoCitation[] } | null>(null)

  async function load(id: number): Promise<void> {
    if (projectId.value !== id) current.value = null
    projectId.value = id
    const list = await echoApi.listConversations(id)
    if (projectId.value === id) conversations.value = list
  }

  async function open(id: number): Promise<void> {
    current.value = await echoApi.getConversation(id)
  }

  async function start(): Promise<EchoConversationDetail> {
    const id = projectId.value
    if (id === null) throw new Error('No project is open.')
    const created = await echoApi.createConversation(id)
    conversations.value = [created, ...conversations.value]
    current.value = { ...created, messages: [] }
    return current.value
  }

  /** Ask in the open conversation (a new one if none is open); the answer is shown as it arrives. */
  async function ask(question: string): Promise<void> {
    const conversation = current.value ?? (await start())
    streaming.value = { question, text: '', sources: [] }
    try {
      await echoApi.ask(conversation.id, question, {
        sources: (sources) => {
          if (streaming.value) streaming.value.sources = sources
        },
        delta: (text) => {
          if (streaming.value) streaming.value.text += text
        },
      })
      await open(conversation.id)
      if (projectId.value !== null) await load(projectId.value)
    } finally {
      streaming.value = null
    }
  }

  async function decide(action: EchoAction, confirm: boolean): Promise<EchoAction> {
    const decided = await echoApi.decideAction(action.id, confirm)
    for (const message of current.value?.messages ?? []) {
      const index = (message.actions ?? []).findIndex((a) => a.id === decided.id)
      if (index >= 0) message.actions![index] = decided
    }
    return decided
  }

  return { projectId, conversations, current, streaming, load, open, start, ask, decide }
})
