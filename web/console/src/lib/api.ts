// The one way the console talks to weihua: same-origin fetch with the session
// cookie, the CSRF token on every write, and the API's bilingual errors kept.
import type { Lang } from './i18n'

export interface ApiErrorBody { code?: string; message_zh: string; message_en: string; field?: string; details?: Record<string, unknown> }

export class ApiError extends Error {
  readonly status: number
  readonly body: ApiErrorBody | null
  constructor(status: number, body: ApiErrorBody | null) {
    super(body ? body.message_en : `HTTP ${status}`)
    this.status = status
    this.body = body
  }
}

/** No answer at all (network down, server stopped). */
export class NetworkError extends Error {}

let csrf: string | null = null
let onUnauthorized: (() => void) | null = null

export function setCsrf(token: string | null) { csrf = token }
export function setUnauthorizedHandler(f: () => void) { onUnauthorized = f }

export interface Answer<T> { body: T; headers: Headers }

export async function call<T>(path: string, init: RequestInit = {}): Promise<Answer<T>> {
  const method = (init.method ?? 'GET').toUpperCase()
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (init.body !== undefined && !(init.body instanceof FormData)) headers['Content-Type'] = 'application/json'
  if (csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf
  let r: Response
  try {
    r = await fetch(path, { credentials: 'same-origin', ...init, headers: { ...headers, ...(init.headers as object) } })
  } catch {
    throw new NetworkError('network')
  }
  const text = r.status === 204 ? '' : await r.text()
  let body: unknown = null
  if (text) {
    try { body = JSON.parse(text) } catch { body = null }
  }
  if (!r.ok) {
    const err = (body as { error?: ApiErrorBody } | null)?.error ?? null
    if (r.status === 401 && onUnauthorized && !path.endsWith('/auth/login')) onUnauthorized()
    throw new ApiError(r.status, err)
  }
  return { body: body as T, headers: r.headers }
}

export const get = async <T>(path: string) => (await call<T>(path)).body
export const post = async <T>(path: string, body?: unknown) =>
  (await call<T>(path, { method: 'POST', body: JSON.stringify(body ?? {}) })).body

/** The `X-Total-Count` header of a list answer. */
export const totalOf = (a: Answer<unknown>) => Number(a.headers.get('X-Total-Count') ?? 0)

/** Query string from the defined values of an object. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? '?' + s : ''
}

/** The message of an error in the user's language (the API's own text when it sent one). */
export function errorText(e: unknown, lang: Lang, fallback: { network: string; http: (s: number) => string }): string {
  if (e instanceof ApiError) {
    if (e.body) return lang === 'zh' ? e.body.message_zh : e.body.message_en
    return fallback.http(e.status)
  }
  return fallback.network
}
