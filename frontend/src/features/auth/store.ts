/** Who is signed in, and what they may do. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '@/api/errors'
import { setCsrfToken } from '@/api/http'
import type { LoginResponse, Role, User } from '@/api/types'
import * as authApi from './api'

const RANK: Record<Role, number> = { reviewer: 0, editor: 1, admin: 2 }

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  /** Whether we asked the server once (so the router knows "signed out" from "not checked yet"). */
  const checked = ref(false)

  const signedIn = computed(() => user.value !== null)
  const isAdmin = computed(() => user.value?.role === 'admin')
  const canEdit = computed(() => (user.value ? RANK[user.value.role] >= RANK.editor : false))

  function accept(response: LoginResponse): void {
    user.value = response.user
    setCsrfToken(response.csrf_token)
    checked.value = true
  }

  /** Resume an existing browser session, if any. */
  async function restore(): Promise<void> {
    try {
      accept(await authApi.me())
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error
      clear()
    } finally {
      checked.value = true
    }
  }

  async function login(username: string, password: string): Promise<void> {
    accept(await authApi.login(username, password))
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  /** Forget the session locally (after logout or a 401). */
  function clear(): void {
    user.value = null
    setCsrfToken(null)
  }

  return { user, checked, signedIn, isAdmin, canEdit, restore, login, logout, clear }
})
