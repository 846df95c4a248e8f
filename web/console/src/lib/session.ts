// Who is signed in, what they may do, and what the console shows them first.
import { computed, ref } from 'vue'
import { ApiError, get, post, setCsrf, setUnauthorizedHandler } from './api'
import type { LoginResponse, Me, Role } from './types'

export const me = ref<Me | null>(null)

export type Tier = 'enterprise' | 'park' | 'region'

/** What the home page is fitted to: an enterprise's installations, a park's enterprises, a regulator's region. */
export function tierOf(role: Role): Tier {
  if (role === 'park_admin') return 'park'
  if (role === 'enterprise_admin' || role === 'safety_manager' || role === 'operator') return 'enterprise'
  return 'region'
}

export const tier = computed<Tier>(() => (me.value ? tierOf(me.value.role) : 'enterprise'))

/** Mirrors weihua_core::Role::may(HandleAlarms); the server remains the judge. */
export const canHandleAlarms = computed(() =>
  !!me.value && ['enterprise_admin', 'safety_manager', 'operator'].includes(me.value.role))

let expiredHandler: (() => void) | null = null
export function onSessionExpired(f: () => void) { expiredHandler = f }

setUnauthorizedHandler(() => {
  flag(false)
  if (!me.value) return
  me.value = null
  setCsrf(null)
  expiredHandler?.()
})

// The session cookie is HttpOnly; this flag only says whether a sign-in
// happened in this browser, so a cold start goes straight to the login page
// instead of asking the server (and logging a 401).
const FLAG = 'weihua.signedIn'
function flag(on: boolean) { try { if (on) localStorage.setItem(FLAG, '1'); else localStorage.removeItem(FLAG) } catch { /* private mode */ } }
function flagged() { try { return localStorage.getItem(FLAG) === '1' } catch { return true } }

/** Reads the current session (cookie); false when there is none. */
export async function restore(force = false): Promise<boolean> {
  if (!force && !flagged()) return false
  try {
    const m = await get<Me>('/api/v1/auth/me')
    me.value = m
    setCsrf(m.csrf_token)
    flag(true)
    return true
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { flag(false); return false }
    throw e
  }
}

export async function login(username: string, password: string): Promise<void> {
  const r = await post<LoginResponse>('/api/v1/auth/login', { username, password })
  setCsrf(r.csrf_token)
  await restore(true)
}

export async function logout(): Promise<void> {
  try { await post('/api/v1/auth/logout') } catch { /* already gone */ }
  me.value = null
  setCsrf(null)
  flag(false)
}
