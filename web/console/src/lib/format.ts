// Times are stored as UTC epoch ms and shown in China Standard Time
// (Asia/Shanghai, UTC+8, no daylight saving), whatever the browser's zone.
const CST_OFFSET_MS = 8 * 3600_000
const DAY_MS = 86400_000

const p2 = (n: number) => String(n).padStart(2, '0')

function parts(ms: number) {
  const d = new Date(ms + CST_OFFSET_MS)
  return {
    y: d.getUTCFullYear(), mo: p2(d.getUTCMonth() + 1), d: p2(d.getUTCDate()),
    h: p2(d.getUTCHours()), mi: p2(d.getUTCMinutes()), s: p2(d.getUTCSeconds()),
  }
}

export function fmtTime(ms: number | null | undefined): string {
  if (ms == null) return ''
  const p = parts(ms)
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`
}

export function fmtClock(ms: number | null | undefined): string {
  if (ms == null) return ''
  const p = parts(ms)
  return `${p.h}:${p.mi}:${p.s}`
}

export function fmtHour(ms: number): string {
  const p = parts(ms)
  return `${p.h}:00`
}

export function fmtShort(ms: number): string {
  const p = parts(ms)
  return `${p.mo}-${p.d} ${p.h}:${p.mi}`
}

/** Start of today in China Standard Time, as epoch ms. */
export function startOfTodayCst(now = Date.now()): number {
  return Math.floor((now + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS
}

export function fmtNum(v: number | null | undefined, dp = 2): string {
  if (v == null || !Number.isFinite(v)) return ''
  return String(+v.toFixed(dp))
}
