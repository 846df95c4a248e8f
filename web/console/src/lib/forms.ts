// Small helpers of the registry's forms: numbers typed as text (empty = not
// set), and messages kept as functions so that they follow a language switch.
import { ApiError } from './api'
import { errText } from './errors'

/** '' → null; a finite number → the number; anything else → NaN (the caller says "enter a number"). */
export function parseNum(s: string | number | null | undefined): number | null {
  if (s == null) return null
  const t = String(s).trim().replace(/[，,]/g, '')
  if (t === '') return null
  const n = Number(t)
  return Number.isFinite(n) ? n : NaN
}

export const numText = (v: number | null | undefined) => (v == null ? '' : String(v))

/** A message shown later, in the language of that moment. */
export type Msg = (() => string) | null
export type Errs<K extends string> = Record<K, Msg>

export function clearErrs<K extends string>(errs: Errs<K>) { for (const k of Object.keys(errs) as K[]) errs[k] = null }
export const hasErrs = <K extends string>(errs: Errs<K>) => Object.values(errs).some(Boolean)

/**
 * Put an API error under the field it names when the form has that field
 * (`fields` maps the API's field names to form keys). Returns false when it
 * names none: the caller shows it as the form's own message.
 */
export function placeError<K extends string>(e: unknown, fields: Partial<Record<string, K>>, errs: Errs<K>): boolean {
  const f = e instanceof ApiError ? e.body?.field : undefined
  const key = f ? fields[f] : undefined
  if (!key) return false
  errs[key] = () => errText(e)
  return true
}
