// 特殊作业票 (GB 30871-2022) — the shapes of /api/v1/permits and the little
// the console needs to know of the rule engine (crates/standards/src/gb30871):
// kinds, states, levels in words, and the sign-off chain of Annex A / Table B.1
// (so that the approve dialog can propose the next row). The server judges
// every step; nothing here decides anything.
import { call, get, post, qs, totalOf } from './api'

export const WORK_KINDS = [
  'hot_work', 'confined_space', 'blinding', 'height', 'lifting', 'temporary_power', 'excavation', 'road_closure',
] as const
export type WorkKind = (typeof WORK_KINDS)[number]

export const PERMIT_STATES = [
  'draft', 'gas_analysis', 'approving', 'approved', 'reported', 'in_progress', 'suspended',
  'completed', 'accepted', 'closed', 'cancelled', 'voided',
] as const
export type PermitState = (typeof PERMIT_STATES)[number]

/** Not finished: what "open" means on the board's default list. */
export const OPEN_STATES: PermitState[] = ['draft', 'gas_analysis', 'approving', 'approved', 'reported', 'in_progress', 'suspended', 'completed', 'accepted']
/** What the board counts as ongoing special work (permit_board on the server). */
export const ONGOING_STATES: PermitState[] = ['approved', 'reported', 'in_progress', 'suspended']

export const WORKER_ROLES = [
  'work_leader', 'worker', 'hot_worker', 'guardian', 'electrician', 'power_user', 'crane_operator', 'rigger',
  'signaller', 'scaffolder', 'gas_analyst',
] as const
export type WorkerRole = (typeof WORKER_ROLES)[number]

export const CERTIFICATE_KINDS = [
  'welding_and_cutting', 'electrician', 'work_at_height', 'crane_operator', 'crane_signaller', 'guardian_training',
] as const
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number]

export const SIGN_OFFS = [
  'work_leader', 'owning_unit', 'safety_department', 'review', 'countersign', 'fire_and_safety', 'power_user',
  'power_distribution', 'approver', 'shift_leader_check',
] as const
export type SignOff = (typeof SIGN_OFFS)[number]

export const APPROVER_ROLES = [
  'work_leader', 'lifting_commander', 'owning_unit', 'safety_department', 'senior_manager', 'specialist_department',
  'plant_manager_or_chief_engineer', 'reviewing_department', 'power_user_unit', 'power_distribution_unit',
  'countersigning_departments', 'fire_and_safety_departments', 'shift_leader',
] as const
export type ApproverRole = (typeof APPROVER_ROLES)[number]

export const ACTIONS = [
  'submit_for_gas_analysis', 'submit_for_approval', 'approve', 'report_to_regulator', 'start', 'continue', 'suspend',
  'resume', 'complete', 'accept', 'close', 'cancel', 'void', 'amend',
] as const
export type ActionKind = (typeof ACTIONS)[number]

export const HEIGHT_HAZARDS = [
  'gust_force5_or_more', 'mean_temperature_at_or_below5_c', 'cold_water_at_or_below12_c', 'slippery_surface', 'poor_light',
  'near_live_conductor', 'unstable_footing', 'toxic_gas_or_low_oxygen', 'disaster_or_rescue',
] as const
export type HeightHazard = (typeof HEIGHT_HAZARDS)[number]

export const HEIGHT_SITUATIONS = [
  'slope_over45_degrees', 'near_opening_or_pit', 'hazardous_area_or_rotating_equipment', 'unguarded_vessel_or_pipe_rack',
  'inside_vessel', 'near_vent_or_stack', 'abnormal_temperature', 'snow', 'rain', 'night_artificial_light', 'live_line', 'suspended',
] as const
export type HeightSituation = (typeof HEIGHT_SITUATIONS)[number]

/** Hot-work condition flags (HotWorkConditions), in the order of the form. */
export const HOT_WORK_FLAGS = [
  'fire_explosion_hazard_area', 'on_operating_equipment', 'hot_tapping_without_purge', 'major_hazard_tank_farm_dike',
  'pipe_rack', 'shutdown_downgrade_approved', 'fixed_hot_work_area', 'other_special_circumstance',
  'production_necessity_in_wind', 'oxygen_equipment', 'self_decomposing_material', 'unit_unstable', 'plan_approved',
] as const
export type HotWorkFlag = (typeof HOT_WORK_FLAGS)[number]

export interface Refusal { clause: string; code: string; fact: string; message_zh: string; message_en: string }
export interface Decision { action: ActionKind; from: PermitState; allowed: boolean; to: PermitState | null; refusals: Refusal[] }
export interface LevelReason { clause: string; code: string; message_zh: string; message_en: string }
export interface LevelAssessment { derived: unknown; effective: unknown; reasons: LevelReason[]; refusals: Refusal[] }
export interface ChecklistItem { no: number; zh: string; en: string; requirement: string; clause: string }

export interface GasTest {
  taken_at_ms: number
  substance: string
  lel_pct_vol: number | null
  measured_pct_vol: number | null
  oxygen_pct_vol: number | null
  toxic_substance: string
  toxic_ppm: number | null
  toxic_oel_ppm: number | null
  analyst: string
  point: string | null
}
export interface Certificate { kind: CertificateKind; number: string; expires_ms: number }
export interface Worker { id: string; name: string; roles: WorkerRole[]; certificates: Certificate[] }
export interface Approval { step: SignOff; role: ApproverRole; by: string; at_ms: number; on_site: boolean }
export interface MeasureCheck { no: number; applicable: boolean | null; confirmed_by: string | null; text?: string | null; author?: string | null }

export type Work = { kind: WorkKind } & Record<string, unknown>

export interface PermitDoc {
  id: string
  number: string
  work: Work
  declared_level: unknown
  content: string
  location: { installation_id: string; equipment_id: string | null; place: string; coordinates: { lat: number; lon: number } | null }
  outdoor: boolean
  planned: { start_ms: number; end_ms: number }
  workers: Worker[]
  approvals: Approval[]
  gas_tests: GasTest[]
  measures: MeasureCheck[]
  linked_permits: string[]
  cross_work_coordinator: string | null
  continuous_monitoring: boolean
  monitor_point?: string | null
  monitoring_records_ms: number[]
  state: PermitState
  started_at_ms: number | null
  suspended_at_ms: number | null
}

export interface PermitRow {
  id: string
  number: string
  enterprise_id: string
  installation_id: string | null
  equipment_id: string | null
  kind: WorkKind
  level: string | null
  state: PermitState
  contractor: boolean
  latitude: number | null
  longitude: number | null
  planned_start: number
  planned_end: number
  reported_at: number | null
  doc: PermitDoc
  version: number
  created_by: string
  created_at: number
  updated_at: number
}

export interface PermitEvent {
  permit_id: string
  n: number
  at: number
  action: string
  actor: string
  from_state: string
  to_state: string
  detail: Record<string, unknown> | null
}

export interface PermitView extends PermitRow {
  state_zh: string
  state_en: string
  next: Decision[]
  level_assessment: LevelAssessment | null
  checklist: ChecklistItem[] | null
  events: PermitEvent[]
  public_path: string
  /** The next sign-off row while approvals are open. */
  next_sign_off: ChainStep | null
  /** Every sign-off row of the form for its kind and level, in order. */
  sign_offs: ChainStep[]
}

export interface PermitBoard {
  /** enterprise id → kind → level ("none" for kinds without levels) → count. */
  ongoing: Record<string, Record<string, Record<string, number>>>
  today_by_state: Partial<Record<PermitState, number>>
  total_ongoing: number
}

/** The body of POST /api/v1/permits. */
export interface NewPermit {
  number?: string
  contractor: boolean
  permit: {
    work: Work
    content: string
    location: { installation_id: string; equipment_id?: string | null; place: string }
    outdoor: boolean
    planned: { start_ms: number; end_ms: number }
    workers: Worker[]
    measures: MeasureCheck[]
    continuous_monitoring: boolean
    /** 监测仪位号 — tag of the detector recording the continuous monitoring (sent only when set). */
    monitor_point?: string
  }
}

// ------------------------------------------------------------------ API

export interface PermitQuery {
  state?: string; kind?: string; installation_id?: string; enterprise_id?: string
  from?: number; to?: number; limit?: number; offset?: number
}
export async function listPermits(q: PermitQuery): Promise<{ rows: PermitRow[]; total: number }> {
  const a = await call<PermitRow[]>('/api/v1/permits' + qs({ ...q }))
  return { rows: a.body, total: totalOf(a) }
}
export const getPermit = (id: string) => get<PermitView>(`/api/v1/permits/${encodeURIComponent(id)}`)
export const getBoard = () => get<PermitBoard>('/api/v1/permits/board')
export const createPermit = (body: NewPermit) => post<PermitView>('/api/v1/permits', body)
export const permitAction = (id: string, body: Record<string, unknown>) =>
  post<PermitView>(`/api/v1/permits/${encodeURIComponent(id)}/actions`, body)
export const addGasTest = (id: string, body: GasTest) =>
  post<PermitView>(`/api/v1/permits/${encodeURIComponent(id)}/gas-tests`, body)

// ------------------------------------------------------------------ levels

/**
 * A level as the server sends it: the row's `level` ("one", or the engine's
 * tagged form `{"hot_work":"one"}` as an object or as JSON text) → "one".
 */
export function levelKey(raw: unknown): string | null {
  if (raw == null) return null
  if (typeof raw === 'object') {
    const v = Object.values(raw as Record<string, unknown>)[0]
    return typeof v === 'string' ? v : null
  }
  if (typeof raw !== 'string' || raw === '' || raw === 'none') return null
  if (raw.startsWith('{')) {
    try { return levelKey(JSON.parse(raw)) } catch { return raw }
  }
  return raw.replace(/^"|"$/g, '')
}

const ZH_NUM: Record<string, string> = { special: '特级', one: '一级', two: '二级', three: '三级', four: '四级' }
const ROMAN: Record<string, string> = { one: 'Ⅰ', two: 'Ⅱ', three: 'Ⅲ', four: 'Ⅳ' }
const EN_NUM: Record<string, string> = { special: 'special', one: 'level 1', two: 'level 2', three: 'level 3', four: 'level 4' }

/** "特级" / "Ⅱ级" / "level 2"; '' when the kind has no level. */
export function levelText(kind: string, raw: unknown, lang: 'zh' | 'en'): string {
  const k = levelKey(raw)
  if (!k) return ''
  if (kind === 'height') return lang === 'zh' ? `${ROMAN[k] ?? k}级` : `class ${ROMAN[k] ?? k}`
  return (lang === 'zh' ? ZH_NUM[k] : EN_NUM[k]) ?? k
}

// ------------------------------------------------------------------ sign-offs (Annex A rows, Table B.1)

/** A sign-off row of the form, as the server's engine orders it (Annex A, Table B.1). */
export interface ChainStep { step: SignOff; role: ApproverRole; approving: boolean; clause: string }

/** Whether a kind needs a gas analysis before work (rules.rs gas_regime). */
export function needsGas(work: Work): boolean {
  if (work.kind === 'hot_work' || work.kind === 'confined_space') return true
  if (work.kind === 'temporary_power') return !!work.fire_explosion_hazard_area
  if (work.kind === 'excavation') return !!work.hazardous_area && !!work.buried_hazardous_lines && Number(work.depth_m) > 1.2
  return false
}

/** The verdict the server recorded for a gas test (its `gas_test` event), if any. */
export function gasVerdicts(events: PermitEvent[]): Map<string, { passed: boolean | null; refusals: Refusal[] }> {
  const out = new Map<string, { passed: boolean | null; refusals: Refusal[] }>()
  for (const e of events) {
    if (e.action !== 'gas_test' || !e.detail) continue
    const t = e.detail.test as GasTest | undefined
    if (!t) continue
    out.set(gasKey(t), {
      passed: typeof e.detail.passed === 'boolean' ? e.detail.passed : null,
      refusals: Array.isArray(e.detail.refusals) ? (e.detail.refusals as Refusal[]) : [],
    })
  }
  return out
}
export const gasKey = (t: GasTest) => `${t.taken_at_ms}|${t.point ?? ''}|${t.substance}|${t.analyst}`

/** epoch ms → the value of an <input type=datetime-local> in China Standard Time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms + 8 * 3600_000)
  return d.toISOString().slice(0, 16)
}
/** The value of an <input type=datetime-local> read as China Standard Time → epoch ms (NaN when empty). */
export function fromLocalInput(s: string): number {
  if (!s) return NaN
  return Date.parse(s + ':00Z') - 8 * 3600_000
}
