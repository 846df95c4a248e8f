// JSON shapes of the weihua API used by the console (see /api/openapi.json).

export type Role =
  | 'ministry_regulator' | 'province_regulator' | 'city_regulator' | 'county_regulator'
  | 'park_admin' | 'enterprise_admin' | 'safety_manager' | 'operator' | 'gateway'

export type Scope =
  | { kind: 'national' }
  | { kind: 'region'; id: string }
  | { kind: 'park'; id: string }
  | { kind: 'enterprise'; id: string }

export interface User {
  id: string
  username: string
  display_name: string
  role: Role
  scope: Scope
  enterprise_id: string | null
  /** Present in `/api/v1/users` lists. */
  disabled?: boolean
  created_at?: number
}

export interface Me {
  kind: string
  role: Role
  role_zh: string
  scope: Scope
  user: User | null
  csrf_token: string | null
}

export interface LoginResponse { token: string; expires_at: string; csrf_token: string; user: User }

export interface Page<T> { items: T[]; total: number }

export interface Park { id: string; name: string; region_code: string; address?: string | null }

export type RegionLevel = 'province' | 'city' | 'county'

export interface Region { code: string; name: string; level: RegionLevel; parent_code: string | null }

export interface Enterprise {
  id: string
  name: string
  credit_code: string
  region_code: string
  park_id: string | null
  industry?: string | null
  address?: string | null
  legal_representative?: string | null
  created_at?: number
  updated_at?: number
}

export interface Guardian { name: string; title?: string | null; phone?: string | null }

export interface Installation {
  id: string
  enterprise_id: string
  code: string
  name: string
  description?: string | null
  people_within_500m: number
  grade: number | null
  is_major_hazard: boolean | null
  r_value: number | null
  assessment_error?: string | null
  assessed_at?: number | null
  guardians: { principal?: Guardian | null; technical?: Guardian | null; operational?: Guardian | null }
  latitude: number | null
  longitude: number | null
}

export type Level = 'red' | 'orange' | 'yellow' | 'blue'
export const LEVELS: Level[] = ['red', 'orange', 'yellow', 'blue']

export interface RiskReason { code: string; zh: string; en: string; points: number }

export interface RiskView {
  installation_id: string
  level: Level
  level_zh: string
  score: number
  reasons: RiskReason[]
  model_version: string
  updated_at: number
}

export type ColourCounts = Record<Level, number>

export interface RollupEntry { id: string; name: string; counts: ColourCounts; worst: Level | null }

export interface RiskSummary {
  total: ColourCounts
  installations: RiskView[]
  enterprises: RollupEntry[]
  parks: RollupEntry[]
  regions: RollupEntry[]
  model_version: string
}

export type Priority = 'emergency' | 'high' | 'medium' | 'low'
export const PRIORITIES: Priority[] = ['emergency', 'high', 'medium', 'low']

export type IsaState =
  | 'normal' | 'unacknowledged' | 'acknowledged' | 'rtn_unacknowledged'
  | 'latched_unacknowledged' | 'latched_acknowledged' | 'shelved' | 'suppressed' | 'out_of_service'
export const ISA_STATES: IsaState[] = [
  'unacknowledged', 'rtn_unacknowledged', 'latched_unacknowledged', 'acknowledged',
  'latched_acknowledged', 'shelved', 'suppressed', 'out_of_service', 'normal',
]

export type AlarmKind =
  | 'limit' | 'rate_of_change' | 'deviation' | 'frozen' | 'bad_quality' | 'interruption' | 'enterprise_interruption'

export interface AlarmRecord {
  id: string
  enterprise: string
  installation: string | null
  point: string | null
  point_id: string | null
  point_name: string | null
  position: string | null
  kind: AlarmKind
  limit: string | null
  priority: Priority
  state: IsaState
  active: boolean
  acked: boolean
  latched: boolean
  suppressed: boolean
  out_of_service: boolean
  open: boolean
  value: number | null
  unit: string | null
  raised_at?: number | null
  cleared_at: number | null
  acked_at: number | null
  acked_by: string | null
  shelved_until?: number | null
  updated_at: number
}

export interface AlarmEvent {
  seq: number
  at: number
  event: string
  enterprise_id: string
  installation_id: string | null
  alarm_id: string | null
  actor: string | null
  reason: string | null
  payload: Record<string, unknown>
}

export type Indicator = 'level' | 'temperature' | 'pressure' | 'flow' | 'flammable_gas' | 'toxic_gas' | 'oxygen' | 'wind_speed' | 'wind_direction'
export const INDICATORS: Indicator[] = ['level', 'temperature', 'pressure', 'flow', 'flammable_gas', 'toxic_gas', 'oxygen', 'wind_speed', 'wind_direction']

export interface Limits { ll: number | null; l: number | null; h: number | null; hh: number | null }

export interface Point {
  id: string
  enterprise_id: string
  installation_id: string
  equipment_id: string | null
  tag: string
  name: string
  indicator: Indicator
  unit: string
  range_low: number
  range_high: number
  limits: Limits
}

export interface LatestValue {
  point_id: string
  tag: string
  enterprise_id: string
  installation_id: string
  ts_ms: number | null
  value: number | null
  quality: number | null
}

export interface Bucket { start_ms: number; min: number | null; max: number | null; avg: number | null; last: number | null; count: number }
export type SamplesResponse = { samples: [number, number][] } | { buckets: Bucket[] }

// ------------------------------------------------------------------ registry: units and inventories

export type UnitKind = 'production' | 'storage'

export interface Unit { id: string; enterprise_id: string; installation_id: string; name: string; kind: UnitKind }

export interface Inventory {
  id: string
  enterprise_id: string
  installation_id: string
  unit_id: string
  chemical_id: string
  chemical_name: string
  cas: string | null
  design_max_quantity_t: number
  note?: string | null
}

// ------------------------------------------------------------------ GB 18218-2018

export interface Gb18218SubstanceInput {
  name?: string
  cas?: string
  table1_no?: number
  categories?: string[]
  not_in_table1?: boolean
  quantity_t: number
}

export interface Gb18218UnitInput {
  id: string
  kind: UnitKind
  people_within_500m?: number
  substances: Gb18218SubstanceInput[]
}

export interface Gb18218SubstanceResult {
  index: number
  name: string
  cas: string | null
  table1_no: number | null
  categories: string[]
  quantity_t: number
  Q_t: number
  Q_source: string
  beta: number
  beta_source: string
  beta_category: string | null
  ratio: number
  ratio_exact: string
  notes: string[]
}

export interface Gb18218UnitResult {
  id: string
  kind: UnitKind
  S: number
  S_exact: string
  is_major_hazard: boolean
  people_within_500m?: number | null
  alpha: number | null
  alpha_source: string | null
  R: number | null
  R_exact: string | null
  grade: number | null
  grade_zh: string | null
  substances: Gb18218SubstanceResult[]
}

export interface Gb18218Output { table_version: string; units: Gb18218UnitResult[] }

/** One stored GB 18218 assessment of an installation (newest first in the list). */
export interface InstallationAssessment {
  id: string
  installation_id: string
  enterprise_id: string
  computed_at: number
  reason: string
  table_version: string
  is_major_hazard: boolean | null
  grade: number | null
  r_value: number | null
  error_zh: string | null
  error_en: string | null
  input: { assessment?: { units: Gb18218UnitInput[] }; excluded?: { unit: string; chemical: string }[] } | null
  output: Gb18218Output | null
}

// ------------------------------------------------------------------ alarm KPIs (ISA-18.2 / EEMUA 191)

export type Verdict = 'ok' | 'warning' | 'violation'
export type LoadLevel = 'acceptable' | 'manageable' | 'overloaded'

export interface KpiFinding { code: string; verdict: Verdict; value: number; target: number; zh: string; en: string }

export interface KpiReport {
  from_ms: number
  to_ms: number
  period_ms: number
  total_activations: number
  distinct_alarms: number
  avg_per_10min: number
  avg_per_hour: number
  avg_per_day: number
  periods: number
  max_per_period: number
  periods_in_flood: number
  pct_periods_in_flood: number
  flood_episodes: { start_ms: number; end_ms: number; activations: number; peak_per_period: number; ongoing: boolean }[]
  time_in_flood_ms: number
  pct_time_in_flood: number
  chattering: { alarm_key: string; label: string; max_in_window: number; activations: number }[]
  fleeting_count: number
  stale: { alarm_key: string; label: string; active_since_ms: number; active_for_ms: number }[]
  top: { rank: number; alarm_key: string; label: string; count: number; share_pct: number }[]
  top_share_pct: number
  priority_distribution: { priority: Priority; count: number; pct: number }[]
  inconsistent_records: number
  assessment: { load: LoadLevel; overall: Verdict; findings: KpiFinding[] }
}

export type KpiGroupBy = 'enterprise' | 'position'

export interface KpiResponse {
  from: number
  to: number
  group_by: KpiGroupBy
  overall: KpiReport
  groups: Record<string, KpiReport>
  names: Record<string, string>
}

// ------------------------------------------------------------------ registry: inputs, equipment, users, tokens, ledger

export type EquipmentKind = 'tank' | 'reactor' | 'warehouse' | 'pipeline' | 'column' | 'vessel' | 'other'
export const EQUIPMENT_KINDS: EquipmentKind[] = ['tank', 'reactor', 'warehouse', 'pipeline', 'column', 'vessel', 'other']

export interface Equipment {
  id: string
  enterprise_id: string
  installation_id: string
  unit_id: string
  code: string
  name: string
  kind: EquipmentKind
  design_volume_m3: number | null
  design_pressure_mpa: number | null
  created_at?: number
  updated_at?: number
}

/** Engineering units each indicator allows (weihua_core::Indicator::allowed_units). */
export const INDICATOR_UNITS: Record<Indicator, string[]> = {
  level: ['m', 'mm', '%'],
  temperature: ['°C', 'K'],
  pressure: ['MPa', 'kPa', 'Pa'],
  flow: ['m3/h', 'Nm3/h', 't/h', 'kg/h', 'L/min'],
  flammable_gas: ['%LEL', '%VOL'],
  toxic_gas: ['ppm', 'mg/m3'],
  wind_speed: ['m/s'],
  wind_direction: ['°'],
  oxygen: ['%VOL'],
}

export interface EnterpriseInput {
  credit_code: string
  name: string
  region_code: string
  park_id?: string | null
  industry?: string | null
  address?: string | null
  legal_representative?: string | null
}

export interface Guardians { principal: Guardian | null; technical: Guardian | null; operational: Guardian | null }

export interface InstallationInput {
  enterprise_id: string
  code: string
  name: string
  description?: string | null
  people_within_500m: number
  guardians: Guardians
  latitude?: number | null
  longitude?: number | null
}

/** PATCH /api/v1/installations/{id}: absent fields stay as they are. */
export interface InstallationPatch {
  name?: string
  description?: string
  people_within_500m?: number
  guardians?: Guardians
  latitude?: number
  longitude?: number
}

export interface UnitInput { installation_id: string; name: string; kind: UnitKind }

export interface EquipmentInput {
  unit_id: string
  code: string
  name: string
  kind: EquipmentKind
  design_volume_m3?: number | null
  design_pressure_mpa?: number | null
}

export interface PointInput {
  installation_id: string
  equipment_id?: string | null
  tag: string
  name: string
  indicator: Indicator
  unit: string
  range_low: number
  range_high: number
  limits: Limits
}

/** PATCH /api/v1/points/{tag}: absent fields stay as they are; limits are replaced whole. */
export interface PointPatch { name?: string; range_low?: number; range_high?: number; limits?: Limits }

export interface UserInput { username: string; display_name: string; password: string; role: Role; scope: Scope }

export interface ApiToken {
  id: string
  enterprise_id: string
  purpose: string
  name: string
  created_by: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export interface ApiTokenInput { enterprise_id: string; name: string; purpose: 'ingest' }

/** The secret is in `token`, shown once and never again. */
export interface ApiTokenCreated { token: string; api_token: ApiToken }

export type LedgerKind = 'enterprises' | 'installations' | 'units' | 'equipment' | 'points' | 'inventories'
export const LEDGER_KINDS: LedgerKind[] = ['enterprises', 'installations', 'units', 'equipment', 'points', 'inventories']

/** What an import created (or a dry run would create), every kind listed. */
export interface ImportReport { created: Record<string, number> }

/** One problem of a ledger file, located as Excel shows it (row 1 = header; 0 = the whole sheet or file). */
export interface LedgerRowError {
  sheet: string
  row: number
  column: string | null
  message_zh: string
  message_en: string
}

/** `details` of a 422 `ledger_invalid` answer. */
export interface LedgerErrors { errors: LedgerRowError[] }
