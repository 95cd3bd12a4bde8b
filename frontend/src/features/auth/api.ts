/** Sign-in, the current user, personal API tokens and user administration. */
import { api, unwrap } from '@/api/http'
import type { LoginResponse, TokenCreated, TokenRead, User, UserCreate, UserUpdate } from '@/api/types'

export function login(username: string, password: string): Promise<LoginResponse> {
  return unwrap(api().POST('/api/lora/auth/login', { body: { username, password } }))
}

export function logout(): Promise<void> {
  return unwrap(api().POST('/api/lora/auth/logout')).then(() => undefined)
}

export function me(): Promise<LoginResponse> {
  return unwrap(api().GET('/api/lora/auth/me'))
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return unwrap(
    api().PUT('/api/lora/auth/password', { body: { current_password: currentPassword, new_password: newPassword } }),
  ).then(() => undefined)
}

export function listTokens(): Promise<TokenRead[]> {
  return unwrap(api().GET('/api/lora/auth/tokens'))
}

export function createToken(name: string, expiresInDays: number | null): Promise<TokenCreated> {
  return unwrap(api().POST('/api/lora/auth/tokens', { body: { name, expires_in_days: expiresInDays } }))
}

export function revokeToken(tokenId: number): Promise<void> {
  return unwrap(api().DELETE('/api/lora/auth/tokens/{token_id}', { params: { path: { token_id: tokenId } } })).then(
    () => undefined,
  )
}

export function listUsers(): Promise<User[]> {
  return unwrap(api().GET('/api/lora/users'))
}

export function createUser(body: UserCreate): Promise<User> {
  return unwrap(api().POST('/api/lora/users', { body }))
}

export function updateUser(userId: number, body: UserUpdate): Promise<User> {
  return unwrap(api().PATCH('/api/lora/users/{user_id}', { params: { path: { user_id: userId } }, body }))
}
