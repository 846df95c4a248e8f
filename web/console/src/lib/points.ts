import type { LatestValue, Point } from './types'

export type PointStatus = 'normal' | 'HH' | 'H' | 'L' | 'LL' | 'none' | 'stale' | 'bad'

export const STALE_MS = 5 * 60_000 // assumed: no sample for 5 minutes reads as interrupted

/** The status of a point's latest value against its limits (display only; the alarm engine is the judge). */
export function pointStatus(p: Point, v: LatestValue | undefined, now: number): PointStatus {
  if (!v || v.value == null || v.ts_ms == null) return 'none'
  if (now - v.ts_ms > STALE_MS) return 'stale'
  if (v.quality != null && v.quality !== 0) return 'bad'
  const { hh, h, l, ll } = p.limits
  if (hh != null && v.value >= hh) return 'HH'
  if (ll != null && v.value <= ll) return 'LL'
  if (h != null && v.value >= h) return 'H'
  if (l != null && v.value <= l) return 'L'
  return 'normal'
}

export const limitText = (x: number | null) => (x == null ? '—' : String(x))
