// Reading the alarm journal (/api/v1/alarm-events) from a point in time. The
// API pages by sequence number (`after`), oldest first; times grow with the
// sequence, so the first entry at or after a time is found by binary search
// over `after` (about 2·log2(n) one-row requests), then read forward.
import { get, qs } from './api'
import type { AlarmEvent } from './types'

const first = async (after: number) =>
  (await get<AlarmEvent[]>('/api/v1/alarm-events' + qs({ after, limit: 1 })))[0] ?? null

/** The smallest `after` whose next visible entry is at or after `since` (or is none). */
async function seqBefore(since: number): Promise<number> {
  const e0 = await first(0)
  if (!e0 || e0.at >= since) return 0
  // Exponential probe for an upper bound, then bisect.
  let lo = e0.seq - 1 // first(lo) = e0, older than `since`
  let hi = Math.max(lo * 2, 1024)
  for (;;) {
    const e = await first(hi)
    if (!e || e.at >= since) break
    lo = e.seq - 1
    hi = Math.max(hi * 2, lo * 2 + 2)
  }
  // P(x) = "the first entry after x is none or at/after `since`" is false at
  // lo and true at hi; bisect to the smallest x where it holds: reading after
  // it gives exactly the entries from `since` on.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    const e = await first(mid)
    if (!e || e.at >= since) hi = mid
    else lo = Math.max(mid, e.seq - 1)
  }
  return hi
}

export interface JournalRead { events: AlarmEvent[]; partial: boolean }

/** Every visible journal entry at or after `since`, at most `max` of them (the newest kept). */
export async function journalSince(since: number, max = 50_000): Promise<JournalRead> {
  let after = await seqBefore(since)
  const out: AlarmEvent[] = []
  let partial = false
  for (;;) {
    const page = await get<AlarmEvent[]>('/api/v1/alarm-events' + qs({ after, limit: 10_000 }))
    for (const e of page) if (e.at >= since) out.push(e)
    if (page.length < 10_000) break
    after = page[page.length - 1].seq
    if (out.length > max) { out.splice(0, out.length - max); partial = true }
  }
  return { events: out, partial }
}
