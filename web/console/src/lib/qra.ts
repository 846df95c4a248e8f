// 定量风险评估 (QRA, GB/T 37243-2019 / GB 36894-2018) and live threat zones:
// the JSON shapes of /api/v1/qra/* and /api/v1/threat-zones, number and wind
// formatting, the to-scale projection the plans share, and the live set of
// active threat zones (fetched once, then kept up to date from the event stream).
import { computed, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import { get } from './api'
import { lang } from './i18n'
import { me } from './session'
import { onEvent, onResync } from './stream'

// ------------------------------------------------------------------ GeoJSON (coordinates are [lon, lat])

export type LonLat = [number, number]

export type Geometry =
  | { type: 'Point'; coordinates: LonLat }
  | { type: 'MultiPoint'; coordinates: LonLat[] }
  | { type: 'LineString'; coordinates: LonLat[] }
  | { type: 'MultiLineString'; coordinates: LonLat[][] }
  | { type: 'Polygon'; coordinates: LonLat[][] }
  | { type: 'MultiPolygon'; coordinates: LonLat[][][] }

export interface Feature<P> { type?: 'Feature'; geometry: Geometry | null; properties: P }
export interface FeatureCollection<P> { type?: 'FeatureCollection'; features: Feature<P>[] }

/** Every position of a geometry. */
export function positions(g: Geometry | null | undefined): LonLat[] {
  if (!g) return []
  switch (g.type) {
    case 'Point': return [g.coordinates]
    case 'MultiPoint': case 'LineString': return g.coordinates
    case 'MultiLineString': case 'Polygon': return g.coordinates.flat()
    case 'MultiPolygon': return g.coordinates.flat(2)
    default: return []
  }
}

// ------------------------------------------------------------------ studies and models

export type FnRegion = 'acceptable' | 'alarp' | 'unacceptable'
export const FN_REGIONS: FnRegion[] = ['unacceptable', 'alarp', 'acceptable']

export interface StudySummary {
  max_ir_per_year: number
  pll_per_year: number
  fn_region: FnRegion
  compute_ms: number
  scenarios: number | unknown[]
  weather_classes: number | unknown[]
  sectors: number | unknown[]
}

export interface ContourProps { level_per_year: number; label_zh: string; label_en: string }
export interface SourceProps { name: string; equipment_code: string; scenarios: number | unknown[] }

export interface FnPoint { n: number; f_per_year: number }

export interface SafetyDistance { class: string; label_zh: string; label_en: string; criterion_per_year: number; distance_m: number | null }

export interface TargetCheck {
  name: string
  class: string
  label_zh: string
  label_en: string
  /** Null when the target lies outside the computed grid (then `pass` is null too). */
  max_ir_per_year: number | null
  criterion_per_year: number
  pass: boolean | null
}

export interface StudyResult {
  bbox: [number, number, number, number]
  contours: FeatureCollection<ContourProps>
  sources: FeatureCollection<SourceProps>
  fn_curve: FnPoint[]
  fn_criteria: { unacceptable: [number, number][]; acceptable: [number, number][] }
  distances: SafetyDistance[]
  targets: TargetCheck[]
}

export interface Study {
  id: string
  enterprise_id: string
  installation_id: string | null
  name: string
  created_at: number
  created_by: string
  engine_version?: string
  summary: StudySummary
  result?: StudyResult
}

export interface QraModel { name: string; description: string }

/** A count the API may send as a number or as the list itself. */
export const count = (v: number | unknown[] | null | undefined) => (Array.isArray(v) ? v.length : v ?? 0)

/** A model's description is "English / 中文": the part in the chosen language. */
export function modelText(description: string): string {
  const k = description.lastIndexOf(' / ')
  if (k < 0) return description
  return lang.value === 'zh' ? description.slice(k + 3) : description.slice(0, k)
}


// ------------------------------------------------------------------ live threat zones

export type Hazard = 'toxic' | 'flammable' | 'thermal' | 'overpressure'
export const HAZARDS: Hazard[] = ['toxic', 'flammable', 'thermal', 'overpressure']

export interface ZoneProps {
  hazard: Hazard
  level: string | number
  label_zh: string
  label_en: string
  threshold: number
  unit: string
  distance_m: number
  /** The zone reaches past the distance computed: its reach is at least distance_m. */
  truncated?: boolean
  /** False when the wind direction is unknown (the zone is then a circle). */
  direction_known?: boolean
  color?: string | null
}

export interface ThreatSource {
  origin: LonLat
  equipment_code: string | null
  mode: 'continuous' | 'instantaneous'
  rate_kg_s: number | null
  duration_s: number | null
  mass_kg: number | null
  hole_diameter_m: number | null
  dense: boolean
  assumed: string[]
  basis_zh: string
  basis_en: string
}

export interface ThreatZoneView {
  id: string
  enterprise_id: string
  installation_id: string
  installation_name: string
  trigger: { alarm_id: string | null; tag: string; point_name: string; value: number | null; unit: string | null }
  /** Null when the gas could not be mapped to a substance (see `error`). */
  substance: { cas: string | null; name_zh: string; name_en: string } | null
  source: ThreatSource | null
  /** `from_deg` null: direction unknown (zones are circles). */
  wind: { speed_m_s: number; from_deg: number | null; stability: string; station_tag: string | null; at_ms: number | null; assumed: boolean }
  zones: FeatureCollection<ZoneProps>
  computed_at_ms: number
  compute_ms: number
  active: boolean
  /** Why no zone could be drawn, in both languages. */
  error?: { message_zh: string; message_en: string } | null
}

const zoneMap = shallowRef(new Map<string, ThreatZoneView>())
const zoneError = ref<unknown>(null)
let users = 0
let unsub: (() => void)[] = []
let poll: ReturnType<typeof setInterval> | null = null
let fetchSeq = 0
/** Whose zones the map holds: another user's are dropped before anything is shown. */
let owner: string | null = null

/** Active threat zones, newest first. */
const activeZones = computed(() =>
  [...zoneMap.value.values()].filter((z) => z.active !== false).sort((a, b) => b.computed_at_ms - a.computed_at_ms))

async function refetch() {
  const my = ++fetchSeq
  try {
    const list = await get<ThreatZoneView[]>('/api/v1/threat-zones')
    if (my !== fetchSeq) return
    zoneMap.value = new Map((Array.isArray(list) ? list : []).map((z) => [z.id, z]))
    zoneError.value = null
  } catch (e) {
    if (my === fetchSeq) zoneError.value = e
  }
}

function upsert(z: ThreatZoneView) {
  const next = new Map(zoneMap.value)
  if (z.active === false) next.delete(z.id)
  else next.set(z.id, z)
  zoneMap.value = next
}
function remove(id: string) {
  if (!zoneMap.value.has(id)) return
  const next = new Map(zoneMap.value)
  next.delete(id)
  zoneMap.value = next
}

function start() {
  if (users++ > 0) return
  const who = me.value?.user?.id ?? me.value?.kind ?? null
  if (who !== owner) { zoneMap.value = new Map(); owner = who }
  void refetch()
  unsub = [
    onEvent((e) => {
      const p = (e.payload ?? {}) as Record<string, unknown>
      if (e.event === 'threat_zone') {
        // The view is the payload (or, should the server send it bare, the event itself).
        const z = (p.id ? p : e) as unknown as ThreatZoneView
        if (z && typeof z.id === 'string' && z.zones) { fetchSeq++; upsert(z) }
      } else if (e.event === 'threat_zone_cleared') {
        const id = (p.id ?? (e as unknown as { id?: unknown }).id) as string | undefined
        if (typeof id === 'string') { fetchSeq++; remove(id) }
      }
    }),
    onResync(() => { void refetch() }),
  ]
  // A slow safety net: a zone cleared while the stream was away, or one the
  // server's own schedule recomputed (the wind turned), is caught within a minute.
  poll = setInterval(() => { void refetch() }, 60_000)
}
function stop() {
  if (--users > 0) return
  unsub.forEach((f) => f())
  unsub = []
  if (poll) clearInterval(poll)
  poll = null
}

/** The live threat zones for a view: subscribed while the view is mounted. */
export function useThreatZones() {
  onMounted(start)
  onBeforeUnmount(stop)
  return { zones: activeZones, error: zoneError, refresh: refetch }
}

/** Per hazard, the farthest zone (its distance and label), in HAZARDS order. */
export function farthest(z: ThreatZoneView): { hazard: Hazard; distance_m: number; feature: ZoneProps }[] {
  const by = new Map<Hazard, ZoneProps>()
  for (const f of z.zones?.features ?? []) {
    const p = f.properties
    const best = by.get(p.hazard)
    if (!best || p.distance_m > best.distance_m) by.set(p.hazard, p)
  }
  return [...by.entries()]
    .sort((a, b) => HAZARDS.indexOf(a[0]) - HAZARDS.indexOf(b[0]))
    .map(([hazard, p]) => ({ hazard, distance_m: p.distance_m, feature: p }))
}

/** A zone's colour: the server's, else one per hazard darkening with the level's rank. */
export function zoneColour(p: ZoneProps, rank = 0): string {
  if (p.color) return p.color
  const ramps: Record<Hazard, string[]> = {
    toxic: ['#7b1fa2', '#ab47bc', '#ce93d8'],
    flammable: ['#d9001b', '#ff7f00', '#ffd400'],
    thermal: ['#b71c1c', '#e65100', '#ffb300'],
    overpressure: ['#0d47a1', '#1e88e5', '#64b5f6'],
  }
  const r = ramps[p.hazard] ?? ramps.flammable
  return r[Math.min(rank, r.length - 1)]
}

// ------------------------------------------------------------------ numbers, distances, wind

const SUP: Record<string, string> = {
  '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
}

/** 3×10⁻⁷ — a number in scientific notation with a superscript exponent (2 significant digits). */
export function sci(v: number | null | undefined, digits = 2): string {
  if (v == null || !Number.isFinite(v)) return '–'
  if (v === 0) return '0'
  const sign = v < 0 ? '-' : ''
  let a = Math.abs(v)
  let e = Math.floor(Math.log10(a))
  let mant = +(a / 10 ** e).toPrecision(digits)
  if (mant >= 10) { mant /= 10; e += 1 }
  a = mant
  const exp = String(e).split('').map((c) => SUP[c] ?? c).join('')
  if (e === 0) return sign + String(a)
  return `${sign}${a}×10${exp}`
}

/** A frequency per year: 1×10⁻⁵/年 (zh), 1×10⁻⁵/yr (en). */
export const perYear = (v: number | null | undefined) => (v == null ? '–' : sci(v) + (lang.value === 'zh' ? '/年' : '/yr'))

/** 85 m, 1240 m, 12.3 km. */
export function metres(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '–'
  if (v >= 10_000) return `${+(v / 1000).toFixed(1)} km`
  return `${Math.round(v)} m`
}

const ZH16 = ['北', '北东北', '东北', '东东北', '东', '东东南', '东南', '南东南', '南', '南西南', '西南', '西西南', '西', '西西北', '西北', '北西北']
const EN16 = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW']

/** The wind by where it comes from, in words: 东南风 2.8 m/s · wind from SE 2.8 m/s (风向未知 when unknown). */
export function windText(w: { speed_m_s: number; from_deg: number | null }): string {
  const speed = `${+(w.speed_m_s ?? 0).toFixed(1)} m/s`
  if (w.from_deg == null || !Number.isFinite(w.from_deg)) return lang.value === 'zh' ? `风向未知 ${speed}` : `wind direction unknown, ${speed}`
  const k = Math.round((((w.from_deg % 360) + 360) % 360) / 22.5) % 16
  return lang.value === 'zh' ? `${ZH16[k]}风 ${speed}` : `wind from ${EN16[k]} ${speed}`
}

// ------------------------------------------------------------------ to-scale projection

const M_PER_DEG = 111_320

export interface Projection {
  W: number
  H: number
  /** SVG x, y of a [lon, lat]. */
  at: (p: LonLat) => [number, number]
  /** Pixels per metre. */
  pxPerM: number
  /** Scale bar: a round number of metres near a fifth of the width. */
  bar: { px: number; label: string }
}

/** North-up, equal-scale (local equirectangular) projection of a [minlon, minlat, maxlon, maxlat] box. */
export function project(bbox: [number, number, number, number], W = 1000, PAD = 40, maxAspect = 1.6): Projection {
  const [x0, y0, x1, y1] = bbox
  const kx = Math.cos(((y0 + y1) / 2) * Math.PI / 180)
  const spanX = Math.max((x1 - x0) * kx, 1e-6), spanY = Math.max(y1 - y0, 1e-6)
  const scale = (W - 2 * PAD) / Math.max(spanX, spanY * maxAspect)
  const H = Math.round(spanY * scale + 2 * PAD)
  const at = ([lon, lat]: LonLat): [number, number] => [PAD + (lon - x0) * kx * scale, PAD + (y1 - lat) * scale]
  const mPerPx = M_PER_DEG / scale
  const target = (W / 5) * mPerPx
  const step = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].find((s) => s >= target) ?? 50000
  return { W, H, at, pxPerM: 1 / mPerPx, bar: { px: step / mPerPx, label: step >= 1000 ? `${step / 1000} km` : `${step} m` } }
}

/** The [minlon, minlat, maxlon, maxlat] box of some positions (null when none). */
export function bounds(pts: LonLat[]): [number, number, number, number] | null {
  if (!pts.length) return null
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity
  for (const [x, y] of pts) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue
    if (x < a) a = x; if (y < b) b = y; if (x > c) c = x; if (y > d) d = y
  }
  return a <= c ? [a, b, c, d] : null
}

/** An SVG path of rings (closed) or lines (open). */
export function pathOf(rings: LonLat[][], at: (p: LonLat) => [number, number], close = true): string {
  let d = ''
  for (const r of rings) {
    if (!r.length) continue
    d += r.map((p, k) => { const [x, y] = at(p); return `${k ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}` }).join('')
    if (close) d += 'Z'
  }
  return d
}

/** The rings of a polygonal geometry (outer rings and holes alike; draw with fill-rule evenodd). */
export function ringsOf(g: Geometry | null | undefined): LonLat[][] {
  if (!g) return []
  if (g.type === 'Polygon') return g.coordinates
  if (g.type === 'MultiPolygon') return g.coordinates.flat()
  return []
}
