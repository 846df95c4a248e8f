// 台账 — the columns of each ledger sheet (a copy of crates/ledger/src/columns.rs,
// used to explain the format, to build CSV templates and to name the column of
// a row error in the current language), and the upload / download calls.
import { ApiError, NetworkError, call } from './api'
import type { Lang } from './i18n'
import type { ImportReport, LedgerKind, LedgerRowError } from './types'

export interface LedgerColumn { key: string; zh: string; en: string; required: boolean }

const c = (key: string, zh: string, en: string, required = false): LedgerColumn => ({ key, zh, en, required })
const ENT = c('enterprise_credit_code', '企业统一社会信用代码', 'Enterprise credit code', true)
const INST = c('installation_code', '重大危险源编码', 'Installation code', true)

export const LEDGER_COLUMNS: Record<LedgerKind, LedgerColumn[]> = {
  enterprises: [
    c('credit_code', '统一社会信用代码', 'Unified social credit code', true), c('name', '企业名称', 'Enterprise name', true),
    c('region_code', '行政区划代码', 'Region code', true), c('park', '所在园区', 'Park'), c('industry', '行业', 'Industry'),
    c('address', '地址', 'Address'), c('legal_representative', '法定代表人', 'Legal representative'),
  ],
  installations: [
    ENT, c('code', '重大危险源编码', 'Installation code', true), c('name', '名称', 'Name', true), c('description', '描述', 'Description'),
    c('people_within_500m', '500米内常住人口', 'Residents within 500 m'),
    c('principal_name', '主要负责人', 'Principal responsible person'), c('principal_phone', '主要负责人电话', 'Principal phone'),
    c('technical_name', '技术负责人', 'Technical responsible person'), c('technical_phone', '技术负责人电话', 'Technical phone'),
    c('operational_name', '操作负责人', 'Operational responsible person'), c('operational_phone', '操作负责人电话', 'Operational phone'),
    c('latitude', '纬度', 'Latitude'), c('longitude', '经度', 'Longitude'),
  ],
  units: [ENT, INST, c('name', '单元名称', 'Unit name', true), c('kind', '单元类型', 'Unit kind', true)],
  equipment: [
    ENT, INST, c('unit_name', '单元名称', 'Unit name', true), c('code', '设备编号', 'Equipment code', true),
    c('name', '设备名称', 'Equipment name', true), c('kind', '设备类型', 'Equipment kind', true),
    c('design_volume_m3', '设计容积(m3)', 'Design volume (m³)'), c('design_pressure_mpa', '设计压力(MPa)', 'Design pressure (MPa)'),
  ],
  points: [
    ENT, INST, c('equipment_code', '设备编号', 'Equipment code'), c('tag', '位号', 'Tag', true), c('name', '点位名称', 'Point name', true),
    c('indicator', '监测指标', 'Indicator', true), c('unit', '单位', 'Engineering unit', true),
    c('range_low', '量程下限', 'Range low', true), c('range_high', '量程上限', 'Range high', true),
    c('ll', '低低报', 'LL limit'), c('l', '低报', 'L limit'), c('h', '高报', 'H limit'), c('hh', '高高报', 'HH limit'),
  ],
  inventories: [
    ENT, INST, c('unit_name', '单元名称', 'Unit name', true), c('chemical', '化学品', 'Chemical', true),
    c('design_max_quantity_t', '设计最大量(t)', 'Design maximum quantity (t)', true),
  ],
}

/** Chinese sheet names, as the export writes them and the import accepts them. */
export const SHEET_ZH: Record<LedgerKind, string> = {
  enterprises: '企业', installations: '重大危险源', units: '单元', equipment: '设备', points: '监测点位', inventories: '库存',
}

/** The kind of a sheet name as written (English key or Chinese name, any case and spacing). */
export function kindOfSheet(name: string): LedgerKind | null {
  const n = name.replace(/\s+/g, '').toLowerCase()
  for (const [k, zh] of Object.entries(SHEET_ZH) as [LedgerKind, string][]) if (n === k || n === zh) return k
  return null
}

/** A guess of a CSV file's kind from its name (`监测点位.csv`, `points-2024.csv`). */
export function kindFromFileName(name: string): LedgerKind | null {
  const n = name.toLowerCase()
  for (const [k, zh] of Object.entries(SHEET_ZH) as [LedgerKind, string][]) if (n.includes(k) || n.includes(zh)) return k
  return null
}

/** The column of a row error in the chosen language (the key as sent when unknown, e.g. a stray header). */
export function columnLabel(sheet: string, key: string | null, lang: Lang): string {
  if (!key) return ''
  const kind = kindOfSheet(sheet)
  const col = (kind ? LEDGER_COLUMNS[kind] : Object.values(LEDGER_COLUMNS).flat()).find((x) => x.key === key)
  return col ? (lang === 'zh' ? col.zh : col.en) : key
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** A CSV text (UTF-8 with BOM, so Excel opens Chinese correctly). */
export function csvText(rows: string[][]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** A CSV template of one sheet: the Chinese headers, which the import accepts. */
export const templateCsv = (kind: LedgerKind) => csvText([LEDGER_COLUMNS[kind].map((x) => x.zh)])

/** Hand a blob to the browser as a download. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Largest upload the server accepts (crates/server/src/ledger.rs MAX_LEDGER_BODY). */
export const MAX_LEDGER_BYTES = 20 * 1024 * 1024

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export type ImportOutcome =
  | { ok: true; report: ImportReport }
  | { ok: false; errors: LedgerRowError[]; error: ApiError }

/**
 * POST the file to /api/v1/ledger/import. A workbook goes as XLSX; a CSV file
 * as text/csv with its sheet kind. A 422 `ledger_invalid` answer is returned
 * as the list of row errors (nothing was written); other errors are thrown.
 */
export async function importLedger(file: File, opt: { kind?: LedgerKind | null; dryRun: boolean }): Promise<ImportOutcome> {
  const isCsv = /\.csv$/i.test(file.name) || file.type === 'text/csv'
  const q = new URLSearchParams()
  if (isCsv && opt.kind) q.set('kind', opt.kind)
  if (opt.dryRun) q.set('dry_run', 'true')
  const qs = q.toString()
  try {
    const a = await call<ImportReport>('/api/v1/ledger/import' + (qs ? '?' + qs : ''), {
      method: 'POST',
      body: file,
      headers: { 'Content-Type': isCsv ? 'text/csv; charset=utf-8' : XLSX_TYPE },
    })
    return { ok: true, report: a.body }
  } catch (e) {
    const errors = e instanceof ApiError && e.status === 422 ? (e.body?.details as { errors?: LedgerRowError[] } | undefined)?.errors : undefined
    if (e instanceof ApiError && errors) return { ok: false, errors, error: e }
    throw e
  }
}

/** GET /api/v1/ledger/export as a file; the name from Content-Disposition (dated when the server gives none). */
export async function exportLedger(): Promise<{ blob: Blob; fileName: string }> {
  const r = await fetch('/api/v1/ledger/export', { credentials: 'same-origin', headers: { Accept: `${XLSX_TYPE}, application/json` } }).catch(() => null)
  if (!r) throw new NetworkError('network')
  if (!r.ok) {
    let body = null
    try { body = (await r.json())?.error ?? null } catch { /* not JSON */ }
    throw new ApiError(r.status, body)
  }
  const blob = await r.blob()
  const cd = r.headers.get('Content-Disposition') ?? ''
  const m = /filename="?([^";]+)"?/i.exec(cd)
  const base = m ? m[1] : 'weihua-ledger.xlsx'
  const d = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
  return { blob, fileName: base.replace(/\.xlsx$/i, `-${d}.xlsx`) }
}
