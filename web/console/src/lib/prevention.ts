// 双重预防 (dual prevention) — the shapes of /api/v1/risk-register,
// /inspection-tasks, /hidden-dangers and /prevention/stats, the code lists the
// console shows (snake_case names as the API sends them; labels live in the
// locale files), and a client-side *preview* of the risk grading with the
// default cut-offs of docs/dual-prevention.md. The server (crates/prevention)
// judges everything; nothing here decides anything.
import { ApiError, get, post, qs } from './api'
import type { Lang } from './i18n'

// ------------------------------------------------------------------ code lists
export const NODE_KINDS = ['object', 'unit', 'event', 'measure'] as const
export type NodeKind = (typeof NODE_KINDS)[number]
/** The kind of a node's children (object → unit → event → measure). */
export const CHILD_OF: Record<NodeKind, NodeKind | null> = { object: 'unit', unit: 'event', event: 'measure', measure: null }

export const RISK_LEVELS = ['major', 'significant', 'general', 'low'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]
export const CONTROL_LEVELS = ['company', 'department', 'team', 'post'] as const
export type ControlLevel = (typeof CONTROL_LEVELS)[number]
export const DATA_SRCS = ['automated_monitoring', 'inspection'] as const
export type DataSrc = (typeof DATA_SRCS)[number]
export const CLASSIFY1 = ['engineering', 'maintenance', 'operating_behaviour', 'emergency'] as const
export type Classify1 = (typeof CLASSIFY1)[number]
/** CLASSIFY2 codes ("1-1" …) by CLASSIFY1. */
export const CLASSIFY2: Record<Classify1, string[]> = {
  engineering: ['1-1', '1-2', '1-3', '1-4', '1-5'],
  maintenance: ['2-1', '2-2'],
  operating_behaviour: ['3-1', '3-2', '3-3'],
  emergency: ['4-1', '4-2', '4-3', '4-4', '4-5'],
}
export const CYCLE_UNITS = ['hour', 'shift', 'day', 'week', 'month', 'quarter', 'half_year', 'year'] as const
export type CycleUnit = (typeof CYCLE_UNITS)[number]
export const WINDOW_STATES = ['pending', 'upcoming', 'done', 'missed'] as const
export type WindowState = (typeof WINDOW_STATES)[number]
export const CHECK_STATUSES = ['normal', 'danger_found', 'other'] as const
export type CheckStatus = (typeof CHECK_STATUSES)[number]
export const DANGER_TYPES = ['safety', 'process', 'electrical', 'instrumentation', 'fire', 'layout', 'equipment', 'other'] as const
export type DangerType = (typeof DANGER_TYPES)[number]
export const DANGER_SOURCES = [
  'routine', 'comprehensive', 'professional', 'seasonal', 'key_period', 'accident_analogy', 'before_restart',
  'external_expert', 'control_measure_failure', 'other',
] as const
export type DangerSource = (typeof DANGER_SOURCES)[number]
export const DANGER_LEVELS = ['general', 'major'] as const
export type DangerLevel = (typeof DANGER_LEVELS)[number]
export const MANAGE_TYPES = ['fix_on_spot', 'by_deadline'] as const
export type ManageType = (typeof MANAGE_TYPES)[number]
export const DANGER_STATES = [
  'reported', 'graded', 'planned', 'rectifying', 'pending_acceptance', 'accepted', 'withdrawn', 'invalid',
] as const
export type DangerStatus = (typeof DANGER_STATES)[number]
export const OPEN_DANGER_STATES: DangerStatus[] = ['reported', 'graded', 'planned', 'rectifying', 'pending_acceptance']
export const ESCALATIONS = ['workshop', 'company', 'regulator'] as const
export type Escalation = (typeof ESCALATIONS)[number]
export const DANGER_ACTIONS = [
  'grade', 'plan', 'start_rectification', 'fix_on_spot', 'submit_for_acceptance', 'accept', 'return', 'withdraw',
  'mark_invalid', 'report_to_regulator', 'supervise', 'supervision_close',
] as const
export type DangerActionKind = (typeof DANGER_ACTIONS)[number]

/** RISK_CLASS 1–4 → the console's four colours (styles.css .lv-*). */
export const COLOUR_OF_CLASS: Record<number, 'red' | 'orange' | 'yellow' | 'blue'> = { 1: 'red', 2: 'orange', 3: 'yellow', 4: 'blue' }
export const COLOUR_OF_LEVEL: Record<RiskLevel, 'red' | 'orange' | 'yellow' | 'blue'> = { major: 'red', significant: 'orange', general: 'yellow', low: 'blue' }
export const LEVEL_OF_CLASS: Record<number, RiskLevel> = { 1: 'major', 2: 'significant', 3: 'general', 4: 'low' }

// ------------------------------------------------------------------ risk preview
/** LEC value sets (docs/dual-prevention.md). */
export const LEC_L = [0.1, 0.2, 0.5, 1, 3, 6, 10]
export const LEC_E = [0.5, 1, 2, 3, 6, 10]
export const LEC_C = [1, 3, 7, 15, 40, 100]
/** Default cut-offs (RiskConfig::default): thresholds tested from the top; on a threshold = the higher level. */
export const MATRIX_CUTOFFS = { major: 20, significant: 15, general: 9 }
export const LEC_CUTOFFS = { major: 320, significant: 160, general: 70 }
/** Default control level per risk level (ControlLevelMap::default, assumed). */
export const CONTROL_OF: Record<RiskLevel, ControlLevel> = { major: 'company', significant: 'department', general: 'team', low: 'post' }

export interface RiskPreview { value: number; level: RiskLevel; control: ControlLevel }

function band(v: number, c: { major: number; significant: number; general: number }): RiskLevel {
  return v >= c.major ? 'major' : v >= c.significant ? 'significant' : v >= c.general ? 'general' : 'low'
}
/** R = L × S, each 1–5; null when out of range. */
export function previewMatrix(l: number, s: number): RiskPreview | null {
  if (![l, s].every((x) => Number.isInteger(x) && x >= 1 && x <= 5)) return null
  const value = l * s
  const level = band(value, MATRIX_CUTOFFS)
  return { value, level, control: CONTROL_OF[level] }
}
/** D = L × E × C from the classic sets, computed in hundredths like the engine; null when a factor is not allowed. */
export function previewLec(l: number, e: number, c: number): RiskPreview | null {
  if (!LEC_L.includes(l) || !LEC_E.includes(e) || !LEC_C.includes(c)) return null
  const value = Math.round(Math.round(l * 100) * Math.round(e * 100) * Math.round(c * 100) / 10000) / 100
  const level = band(value, LEC_CUTOFFS)
  return { value, level, control: CONTROL_OF[level] }
}

// ------------------------------------------------------------------ register
export interface Assessment { method: 'matrix' | 'lec'; value: number; level: RiskLevel; control_level: ControlLevel }
export interface RiskNode {
  id: string
  enterprise_id: string
  kind: NodeKind
  parent_id: string | null
  code: string | null
  installation_id: string | null
  name: string
  risk_class: number | null
  doc: {
    responsible_department?: string | null
    responsible_person?: string | null
    assessment?: Assessment | null
    assessment_input?: Record<string, unknown> | null
    data_src?: DataSrc | null
    classify1?: Classify1 | null
    classify2?: string | null
    description?: string | null
    troubleshoot_content?: string | null
    point_tags?: string[]
  } & Record<string, unknown>
  created_at: number
  updated_at?: number
}
export interface TreeNode extends RiskNode { children: TreeNode[] }

/** The flat register as a forest (object → unit → event → measure), by name within a parent. */
export function buildTree(nodes: RiskNode[]): TreeNode[] {
  const by = new Map<string, TreeNode>(nodes.map((n) => [n.id, { ...n, children: [] }]))
  const roots: TreeNode[] = []
  for (const n of by.values()) {
    const p = n.parent_id ? by.get(n.parent_id) : undefined
    if (p) p.children.push(n)
    else roots.push(n)
  }
  const sort = (xs: TreeNode[]) => { xs.sort((a, b) => (a.code ?? '').localeCompare(b.code ?? '') || a.name.localeCompare(b.name, 'zh')); xs.forEach((x) => sort(x.children)) }
  sort(roots)
  return roots
}

export const getRegister = (enterpriseId?: string) => get<RiskNode[]>('/api/v1/risk-register' + qs({ enterprise_id: enterpriseId }))
export const createNode = (body: Record<string, unknown>) => post<RiskNode & { task: InspectionTask | null }>('/api/v1/risk-register', body)

// ------------------------------------------------------------------ tasks
export interface TaskWindow {
  seq: number
  start_ms: number
  end_ms: number
  required_count: number
  partially_suspended: boolean
  state: WindowState
  done: number
  required: number
  check_status: number | null
}
export interface InspectionTask {
  id: string
  enterprise_id: string
  measure_id: string
  active: boolean
  doc: {
    schedule: { cycle: { value: number; unit: CycleUnit }; required_count: number; anchor_ms: number }
    post?: string | null
    assignee?: string | null
    content?: string | null
  }
  windows?: TaskWindow[]
  created_at: number
}
export const getTasks = (from?: number, to?: number) => get<InspectionTask[]>('/api/v1/inspection-tasks' + qs({ from, to }))
export interface NewRecord {
  check_status: CheckStatus
  note?: string | null
  check_time_ms?: number
  danger?: { name: string; description: string; danger_type: DangerType }
}
export const recordCheck = (taskId: string, body: NewRecord) =>
  post<{ id: string; danger_id: string | null }>(`/api/v1/inspection-tasks/${encodeURIComponent(taskId)}/records`, body)

// ------------------------------------------------------------------ hidden dangers
export interface DangerDoc {
  id: string
  name: string
  description: string
  source: DangerSource
  danger_type: DangerType
  risk_measure_id: string | null
  record_id: string | null
  reporter: string
  reported_at_ms: number
  status: DangerStatus
  grading: { level: DangerLevel; manage_type: ManageType; graded_by: string; graded_at_ms: number } | null
  plan: { owner: string; funds_yuan: number; measures: string; deadline_ms: number } | null
  rectifier: string | null
  rectified_at_ms: number | null
  on_spot_measures: string | null
  regulator_report: { authority: string; reference: string | null; reported_by: string; reported_at_ms: number } | null
  supervision: {
    notice_number: string; deadline_ms: number; authority: string; issued_by: string; issued_at_ms: number
    closed_by: string | null; closed_at_ms: number | null
  } | null
  acceptance: { person: string; at_ms: number; comment: string } | null
  return_count: number
  last_return_comment: string | null
  closing_reason: string | null
  duplicate_of: string | null
  updated_at_ms: number
}
export interface DangerRow {
  id: string
  enterprise_id: string
  name: string
  danger_level: number | null
  state: DangerStatus
  deadline: number | null
  supervised: boolean
  registered_at: number
  closed_at: number | null
  doc: DangerDoc
  version: number
}
export interface DangerEvent { danger_id: string; n: number; at: number; action: string; actor: string; from_state: string; to_state: string; detail: Record<string, unknown> | null }
export interface Overdue { deadline_ms: number; late_ms: number; escalation: Escalation }
export interface DangerView extends DangerRow {
  state_zh: string
  state_en: string
  danger_state: number | null
  overdue: Overdue | null
  events: DangerEvent[]
  /** Every step judged by the server's engine for the signed-in user. */
  next?: { action: DangerActionKind; allowed: boolean; refusal?: { code: string; zh: string; en: string } }[]
}

export interface DangerQuery { state?: string; supervised?: boolean; level?: number; overdue?: boolean; enterprise_id?: string; limit?: number }
export const listDangers = (q: DangerQuery = {}) => get<DangerRow[]>('/api/v1/hidden-dangers' + qs({ limit: 1000, ...q }))
export const getDanger = (id: string) => get<DangerView>(`/api/v1/hidden-dangers/${encodeURIComponent(id)}`)
export const reportDanger = (body: { enterprise_id?: string; danger: { name: string; description: string; source: DangerSource; danger_type: DangerType } }) =>
  post<DangerView>('/api/v1/hidden-dangers', body)
export const dangerAction = (id: string, body: { action: DangerActionKind } & Record<string, unknown>) =>
  post<DangerView>(`/api/v1/hidden-dangers/${encodeURIComponent(id)}/actions`, body)

export const levelOfDanger = (d: { danger_level: number | null }): DangerLevel | null =>
  d.danger_level === 1 ? 'major' : d.danger_level === 0 ? 'general' : null
export const isOpen = (s: DangerStatus) => OPEN_DANGER_STATES.includes(s)

const DAY = 86400_000
/**
 * Overdue as the list shows it (EscalationConfig::default: ≤ 3 days workshop,
 * ≤ 7 days company, later regulator; a major danger goes to the regulator).
 * The detail view shows the server's own judgement.
 */
export function overdueOf(d: DangerRow, now = Date.now()): Overdue | null {
  if (!isOpen(d.state) || d.deadline == null || now <= d.deadline) return null
  const late = now - d.deadline
  const escalation: Escalation = d.danger_level === 1 ? 'regulator' : late <= 3 * DAY ? 'workshop' : late <= 7 * DAY ? 'company' : 'regulator'
  return { deadline_ms: d.deadline, late_ms: late, escalation }
}

/** What the console offers next for a danger (the server still judges, and may refuse with reasons). */
/** The steps to offer: the server's judgement when the view has it, else a guess from state and role. */
export function nextActions(d: DangerRow | DangerView, who: { tier: 'enterprise' | 'park' | 'region'; username: string }): DangerActionKind[] {
  if ('next' in d && d.next) return d.next.filter((n) => n.allowed).map((n) => n.action)
  const s = d.state
  const doc = d.doc
  const out: DangerActionKind[] = []
  if (who.tier === 'enterprise') {
    const major = doc.grading?.level === 'major'
    if (s === 'reported' || s === 'graded') out.push('grade')
    if (s === 'graded' && doc.grading?.manage_type === 'by_deadline') out.push('plan')
    if (s === 'graded' && doc.grading?.manage_type === 'fix_on_spot') out.push('fix_on_spot')
    if (s === 'planned') out.push('start_rectification')
    if (s === 'rectifying') out.push('submit_for_acceptance')
    if (s === 'pending_acceptance') out.push('accept', 'return')
    if (major && !doc.regulator_report && ['graded', 'planned', 'rectifying', 'pending_acceptance'].includes(s)) out.push('report_to_regulator')
    if (['reported', 'graded', 'planned'].includes(s)) {
      if (doc.reporter === who.username) out.push('withdraw')
      out.push('mark_invalid')
    }
  } else if (who.tier === 'region') {
    if (isOpen(s) && !doc.supervision) out.push('supervise')
    if (s === 'pending_acceptance' && doc.supervision && !doc.supervision.closed_at_ms) out.push('supervision_close', 'return')
  }
  return out
}

// ------------------------------------------------------------------ statistics
export interface Rate { numerator: number; denominator: number; value: number | null }
export interface InspectionStats { due: number; done: number; not_inspected: number; pending: number; upcoming: number; completion_rate: Rate }
export interface DangerCounts { found: number; fixed: number; fixed_on_time: number; open: number; overdue: number }
export interface DangerStats {
  total: DangerCounts
  ungraded: number
  major_open: number
  by_level: { key: DangerLevel; counts: DangerCounts }[]
  by_type: { key: DangerType; counts: DangerCounts }[]
  by_source: { key: DangerSource; counts: DangerCounts }[]
  rectification_rate: Rate
  on_time_rate: Rate
}
export interface EnterpriseStats { enterprise_id: string; name: string; park_id: string | null; region_code: string; inspection: InspectionStats; dangers: DangerStats }
export interface PreventionStats { from: number; to: number; total: { inspection: InspectionStats; dangers: DangerStats }; enterprises: EnterpriseStats[] }
export const getStats = (from: number, to: number) => get<PreventionStats>('/api/v1/prevention/stats' + qs({ from, to }))

export const pct = (r: Rate | null | undefined) => (r?.value == null ? '—' : `${(r.value * 100).toFixed(1)}%`)

/** Downloads the statistics workbook; throws ApiError (with the API's bilingual body when it sent one). */
export async function downloadStatsXlsx(from: number, to: number, lang: Lang): Promise<void> {
  const r = await fetch('/api/v1/prevention/stats.xlsx' + qs({ from, to }), { credentials: 'same-origin' })
  if (!r.ok) {
    let body = null
    try { body = (await r.json())?.error ?? null } catch { /* not JSON */ }
    throw new ApiError(r.status, body)
  }
  const blob = await r.blob()
  const day = new Date(from + 8 * 3600_000).toISOString().slice(0, 10)
  const day2 = new Date(to - 1 + 8 * 3600_000).toISOString().slice(0, 10)
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = `${lang === 'zh' ? '双重预防统计' : 'dual-prevention'}-${day}-${day2}.xlsx`
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

/** datetime-local value (China time) ↔ epoch ms. */
export const toLocalInput = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16)
export const fromLocalInput = (s: string) => Date.parse(`${s}:00+08:00`)
