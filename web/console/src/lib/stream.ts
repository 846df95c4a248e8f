// The live event stream (/api/v1/events/stream, server-sent events): one
// EventSource for the whole console, resumed from the last event id after a
// drop, with a status that the header shows.
import { ref } from 'vue'
import { get } from './api'
import type { AlarmEvent } from './types'

export type LiveState = 'on' | 'retry' | 'down'
export const liveState = ref<LiveState>('down')

type Listener = (e: AlarmEvent) => void
const listeners = new Set<Listener>()
/** Called after a reconnect that may have missed events: views refetch. */
const resyncs = new Set<() => void>()

let es: EventSource | null = null
let lastSeq: string | null = null
let retryTimer: ReturnType<typeof setTimeout> | null = null
let retryMs = 5000
let wanted = false

export function onEvent(f: Listener): () => void {
  listeners.add(f)
  return () => listeners.delete(f)
}

export function onResync(f: () => void): () => void {
  resyncs.add(f)
  return () => resyncs.delete(f)
}

function deliver(kind: string, ev: MessageEvent) {
  if (ev.lastEventId) lastSeq = ev.lastEventId
  let data: AlarmEvent
  try { data = JSON.parse(ev.data) as AlarmEvent } catch { return }
  if (!data.event) data.event = kind
  for (const f of listeners) f(data)
}

export function openStream() {
  wanted = true
  closeSource()
  const src = new EventSource('/api/v1/events/stream' + (lastSeq != null ? '?last_event_id=' + encodeURIComponent(lastSeq) : ''))
  es = src
  liveState.value = 'retry'
  src.onopen = () => { retryMs = 5000; liveState.value = 'on' }
  src.onerror = () => {
    if (src.readyState !== EventSource.CLOSED) { liveState.value = 'retry'; return }
    // The browser gave up (e.g. 401 or 503): reopen by hand, backing off
    // from 5 s to a minute, once the session is known to be valid.
    liveState.value = 'down'
    retryTimer = setTimeout(async () => {
      if (!wanted) return
      try {
        await get('/api/v1/auth/me')
        openStream()
        for (const f of resyncs) f()
      } catch {
        /* 401: the session handler signs out; otherwise try again later */
        if (wanted) retryTimer = setTimeout(openStream, retryMs)
      }
    }, retryMs)
    retryMs = Math.min(retryMs * 2, 60_000)
  }
  src.addEventListener('hello', (ev) => { lastSeq = (ev as MessageEvent).lastEventId || lastSeq; liveState.value = 'on' })
  src.addEventListener('alarm', (ev) => deliver('alarm', ev as MessageEvent))
  src.addEventListener('risk', (ev) => deliver('risk', ev as MessageEvent))
}

function closeSource() {
  if (retryTimer) clearTimeout(retryTimer)
  retryTimer = null
  if (es) { es.close(); es = null }
}

export function closeStream() {
  wanted = false
  closeSource()
  lastSeq = null
  liveState.value = 'down'
}
