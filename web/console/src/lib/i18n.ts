// A small typed dictionary: `zh` is the source, `en` must have the same keys
// (the compiler checks it), and `m` is the reactive dictionary of the chosen
// language. Chinese is the default; the choice is kept in localStorage.
import { computed, ref, watch } from 'vue'
import zh from './locale-zh'
import en from './locale-en'

export type Lang = 'zh' | 'en'

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => R
    : { [K in keyof T]: Widen<T[K]> }
export type Messages = Widen<typeof zh>

const STORE_KEY = 'weihua.lang'
const saved = (() => { try { return localStorage.getItem(STORE_KEY) } catch { return null } })()

export const lang = ref<Lang>(saved === 'en' ? 'en' : 'zh')
export const m = computed<Messages>(() => (lang.value === 'en' ? en : zh))

export function setLang(l: Lang) { lang.value = l }

function apply(l: Lang) {
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en'
  try { localStorage.setItem(STORE_KEY, l) } catch { /* private mode */ }
}
apply(lang.value)
watch(lang, apply)

/** The Chinese or English text of a pair the API sent (`zh`/`en`, `message_zh`/`message_en`). */
export const pick = (zhText: string, enText: string) => (lang.value === 'zh' ? zhText : enText)
