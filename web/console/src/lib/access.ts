// What a role may do: a mirror of weihua_core::Role::may and Role::may_grant
// (crates/core/src/access.rs), used only to hide or disable what the server
// would refuse anyway. The server remains the judge.
import { computed } from 'vue'
import { me } from './session'
import type { Role, Scope } from './types'

export type Action =
  | 'read_registry' | 'manage_parks' | 'manage_enterprises' | 'edit_ledger' | 'manage_chemicals'
  | 'manage_api_tokens' | 'manage_users' | 'read_audit' | 'issue_permits' | 'inspect'

const REGULATORS: Role[] = ['ministry_regulator', 'province_regulator', 'city_regulator', 'county_regulator']
export const ENTERPRISE_ROLES: Role[] = ['enterprise_admin', 'safety_manager', 'operator']

export const isRegulator = (r: Role) => REGULATORS.includes(r)

export function may(role: Role, action: Action): boolean {
  switch (action) {
    case 'read_registry': return role !== 'gateway'
    case 'manage_parks': return isRegulator(role)
    case 'manage_enterprises': return isRegulator(role) || role === 'park_admin'
    case 'edit_ledger': return role === 'enterprise_admin' || role === 'safety_manager'
    case 'manage_chemicals': return isRegulator(role) || role === 'enterprise_admin' || role === 'safety_manager'
    case 'manage_api_tokens': return role === 'enterprise_admin'
    case 'manage_users': return isRegulator(role) || role === 'park_admin' || role === 'enterprise_admin'
    case 'read_audit': return isRegulator(role) || role === 'park_admin' || role === 'enterprise_admin'
    case 'issue_permits': return ENTERPRISE_ROLES.includes(role)
    case 'inspect': return ENTERPRISE_ROLES.includes(role)
  }
}

/** Smaller = more power (Role::rank). */
const RANK: Record<Role, number> = {
  ministry_regulator: 0, province_regulator: 1, city_regulator: 2, county_regulator: 3, park_admin: 4,
  enterprise_admin: 5, safety_manager: 6, operator: 7, gateway: 8,
}
/** Every role a person can have, most powerful first (gateway is a token, not a person). */
export const PERSON_ROLES: Role[] = (Object.keys(RANK) as Role[]).filter((r) => r !== 'gateway').sort((a, b) => RANK[a] - RANK[b])

/** Whether `role` may create a user with role `other` (Role::may_grant). */
export const mayGrant = (role: Role, other: Role) => may(role, 'manage_users') && other !== 'gateway' && RANK[other] >= RANK[role]

/** The kind of scope a role needs (Scope::check_role). */
export function scopeKindOf(role: Role): Scope['kind'] {
  if (role === 'ministry_regulator') return 'national'
  if (isRegulator(role)) return 'region'
  if (role === 'park_admin') return 'park'
  return 'enterprise'
}

/** The region level a regulator's scope must have. */
export function regionLevelOf(role: Role): 'province' | 'city' | 'county' | null {
  return role === 'province_regulator' ? 'province' : role === 'city_regulator' ? 'city' : role === 'county_regulator' ? 'county' : null
}

/** Whether the signed-in user may do `action`. */
export const can = (action: Action) => !!me.value && may(me.value.role, action)

/** Reactive flags for templates. */
export const perms = computed(() => {
  const r = me.value?.role
  const f = (a: Action) => !!r && may(r, a)
  return {
    read: f('read_registry'),
    manageEnterprises: f('manage_enterprises'),
    editLedger: f('edit_ledger'),
    /** POST /api/v1/ledger/import: EditLedger or ManageEnterprises (crates/server/src/ledger.rs). */
    importLedger: f('edit_ledger') || f('manage_enterprises'),
    tokens: f('manage_api_tokens'),
    users: f('manage_users'),
    /** Special work permits: create, act, record gas tests (Action::IssuePermits). */
    issuePermits: f('issue_permits'),
    /** 双重预防: record inspection checks (Action::Inspect). */
    inspect: f('inspect'),
    /** 双重预防: add to the risk register (POST /api/v1/risk-register requires EditLedger). */
    editRegister: f('edit_ledger'),
    /** 双重预防: report a hidden danger (anyone but a gateway token; the server's may_act). */
    reportDanger: !!r && r !== 'gateway',
    /** 双重预防: supervise a danger and sign off a supervised closing (regulators only). */
    supervise: !!r && isRegulator(r),
  }
})
