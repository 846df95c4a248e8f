// Shared look-ups of the registry pages: the enterprises, parks, regions,
// installations and units visible to the caller, loaded once per visit of
// the registry and reloaded after a change. Names for ids, options for selects.
import { computed, shallowRef } from 'vue'
import { get } from './api'
import type { Enterprise, Installation, Page, Park, Region, Unit } from './types'

const LIMIT = 1000 // the API's largest page

export const lookups = {
  enterprises: shallowRef<Enterprise[]>([]),
  parks: shallowRef<Park[]>([]),
  regions: shallowRef<Region[]>([]),
  installations: shallowRef<Installation[]>([]),
  units: shallowRef<Unit[]>([]),
}
export const lookupError = shallowRef<unknown>(null)

type Key = keyof typeof lookups
const loaders: Record<Key, () => Promise<unknown[]>> = {
  enterprises: async () => (await get<Page<Enterprise>>(`/api/v1/enterprises?limit=${LIMIT}`)).items,
  parks: async () => (await get<Page<Park>>(`/api/v1/parks?limit=${LIMIT}`)).items,
  regions: async () => await get<Region[]>('/api/v1/regions'),
  installations: async () => (await get<Page<Installation>>(`/api/v1/installations?limit=${LIMIT}`)).items,
  units: async () => (await get<Page<Unit>>(`/api/v1/units?limit=${LIMIT}`)).items,
}
const loaded = new Set<Key>()
const pending = new Map<Key, Promise<void>>()

/** Load the given look-ups (once; `force` reloads). Errors land in `lookupError`. */
export function need(keys: Key[], force = false): Promise<void> {
  return Promise.all(keys.map((k) => {
    if (!force && loaded.has(k)) return Promise.resolve()
    if (!force && pending.has(k)) return pending.get(k)!
    const p = loaders[k]()
      .then((items) => { (lookups[k] as { value: unknown[] }).value = items; loaded.add(k); lookupError.value = null })
      .catch((e) => { lookupError.value = e })
      .finally(() => pending.delete(k))
    pending.set(k, p)
    return p
  })).then(() => undefined)
}

/** Forget everything (on leaving the registry, or another user signing in). */
export function forgetLookups() { loaded.clear() }

const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]))
export const entById = computed(() => byId(lookups.enterprises.value))
export const parkById = computed(() => byId(lookups.parks.value))
export const instById = computed(() => byId(lookups.installations.value))
export const unitById = computed(() => byId(lookups.units.value))
export const regionByCode = computed(() => new Map(lookups.regions.value.map((r) => [r.code, r])))

export const entName = (id: string | null | undefined) => (id ? entById.value.get(id)?.name ?? id : '')
export const parkName = (id: string | null | undefined) => (id ? parkById.value.get(id)?.name ?? id : '')
export const instName = (id: string | null | undefined) => (id ? instById.value.get(id)?.name ?? '' : '')
export const regionText = (code: string) => {
  const r = regionByCode.value.get(code)
  return r ? `${r.name} (${code})` : code
}
