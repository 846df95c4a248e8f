import { errorText } from './api'
import { lang, m } from './i18n'

/** An error as text in the current language (re-evaluated when the language changes). */
export function errText(e: unknown): string {
  return errorText(e, lang.value, { network: m.value.common.networkError, http: m.value.common.httpError })
}
