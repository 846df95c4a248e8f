// 双重预防 (dual prevention) in the console, against a `weihua demo`. Checks
// structure and agreement with the API, not numbers:
//   1. e1.safety opens 双重预防 from the menu: the statistics cards are the
//      server's, one table row per enterprise, the export answers;
//   2. the risk register tree draws every node of the API, units with their
//      level in colour and words; a unit added through the form (L 5 × S 4)
//      previews 红 · 重大风险 and the server grades it the same; an event and a
//      daily measure with its task are added under it (through the API);
//   3. e1.operator on a phone (390 × 844) sees one card per task with large
//      buttons and no sideways scroll, and records "hidden danger found" on
//      the new task: the danger is registered, to be graded;
//   4. e1.safety grades it (general, by deadline) and plans it (owner e1.admin)
//      in the danger drawer; the overdue filter lists what the server calls overdue;
//   5. county (regulator of 320582) sees the major and supervised dangers of its
//      region with enterprise names, and supervises an open major one.
//   node e2e/prevention-flow.mjs --url URL --creds DATA_DIR/demo-credentials.json
import { api, check, finish, launch, parseArgs, readCreds, signIn } from './lib.mjs'

const { opt } = parseArgs({ url: 'http://127.0.0.1:18141', creds: '/tmp/prev-demo/demo-credentials.json' })
const creds = readCreds(opt.creds)
const browser = await launch()
const stamp = Date.now().toString(36)
const input = (id) => `:is([data-testid=${id}] input, input[data-testid=${id}])`
const area = (id) => `:is([data-testid=${id}] textarea, textarea[data-testid=${id}])`

/** POST JSON with the page's session and CSRF token (outside the page). */
async function post(page, path, body) {
  const me = (await api(page, '/api/v1/auth/me')).body
  const r = await page.context().request.post(new URL(page.url()).origin + path, { data: body, headers: { 'X-CSRF-Token': me.csrf_token } })
  return { status: r.status(), body: await r.json().catch(() => null) }
}

// ------------------------------------------------------------------ 1. overview
const safety = await signIn(browser, opt, creds, 'e1.safety')
await safety.click('[data-testid=nav-prevention]')
await safety.waitForURL(/\/prevention$/)
await safety.waitForSelector('[data-testid=stats-cards] [data-key=found]', { timeout: 15000 })
const stats = (await api(safety, '/api/v1/prevention/stats')).body
const card = async (k) => (await safety.textContent(`[data-testid=stats-cards] [data-key=${k}] [data-testid=stat-value]`)).trim()
const d = stats.total.dangers
check(await card('found') === String(d.total.found) && await card('overdue') === String(d.total.overdue) && await card('major_open') === String(d.major_open),
  `statistics cards are the server's (found ${d.total.found}, overdue ${d.total.overdue}, major open ${d.major_open})`)
check(/%|—/.test(await card('completion')), `task completion shown as a rate (${await card('completion')})`)
await safety.waitForSelector('.prevention-home canvas', { timeout: 10000 })
check((await safety.$$('.prevention-home .echart')).length === 4, 'four charts drawn (completion by enterprise, type, level, open vs overdue)')
const entRows = await safety.$$eval('[data-testid=stats-table] .el-table__body tr', (t) => t.length)
check(entRows === stats.enterprises.length, `one row per enterprise (${entRows})`)
const xlsx = await safety.context().request.get(opt.url + `/api/v1/prevention/stats.xlsx?from=${stats.from}&to=${stats.to}`)
check(!!(await safety.$('[data-testid=stats-export]')) && (xlsx.status() === 200 || xlsx.status() === 404),
  `export button present; stats.xlsx answers HTTP ${xlsx.status()}${xlsx.status() === 404 ? ' (not there yet: the page says so)' : ''}`)

// ------------------------------------------------------------------ 2. register
await safety.click('[data-testid=prevention-nav] [data-tab=register]')
await safety.waitForURL(/\/prevention\/register$/)
let nodes = (await api(safety, '/api/v1/risk-register')).body
// The tree loads after the page: wait for it to hold the register (or give up after 10 s).
await safety.waitForFunction((n) => document.querySelectorAll('[data-testid=register-tree] [data-node]').length >= n, nodes.length, { timeout: 10000 }).catch(() => {})
const shownNodes = await safety.$$eval('[data-testid=register-tree] [data-node]', (n) => n.length)
check(shownNodes === nodes.length, `the tree draws every node of the register (${shownNodes} = ${nodes.length})`)
const unitTexts = await safety.$$eval('[data-testid=register-tree] [data-kind=unit] .lv', (l) => l.map((x) => x.textContent.trim()))
check(unitTexts.length === nodes.filter((n) => n.kind === 'unit').length && unitTexts.every((t) => /^[红橙黄蓝] · .+风险$/.test(t)),
  `each unit shows its level as colour and words (${[...new Set(unitTexts)].join(', ')})`)

let object = nodes.find((n) => n.kind === 'object')
if (!object) {
  const r = await post(safety, '/api/v1/risk-register', { kind: 'object', code: `E2E-${stamp}`, name: `e2e 对象 ${stamp}` })
  check(r.status === 201, `no object yet: one created through the API (HTTP ${r.status})`)
  object = r.body
  await safety.reload()
  await safety.waitForSelector(`[data-node="${object.id}"]`)
}
await safety.click(`[data-node="${object.id}"] [data-add=unit]`)
await safety.waitForSelector('[data-testid=node-dialog] [data-testid=risk-preview]', { state: 'visible' })
const unitName = `e2e 单元 ${stamp}`
await safety.fill(input('node-name'), unitName)
await safety.fill(input('unit-l'), '5')
await safety.press(input('unit-l'), 'Tab')
await safety.fill(input('unit-s'), '4')
await safety.press(input('unit-s'), 'Tab')
await safety.waitForFunction(() => document.querySelector('[data-testid=risk-preview]')?.dataset.level === 'major', null, { timeout: 3000 }).catch(() => {})
const pv = await safety.textContent('[data-testid=risk-preview]')
check(pv.includes('20') && pv.includes('红 · 重大风险') && pv.includes('公司') && pv.includes('预览'), `the unit form previews L 5 × S 4 = 20 as 红 · 重大风险, 公司 (labelled a preview)`)
await safety.click('[data-testid=node-submit]')
await safety.waitForSelector('[data-testid=node-dialog]', { state: 'hidden', timeout: 8000 }).catch(() => {})
nodes = (await api(safety, '/api/v1/risk-register')).body
const unit = nodes.find((n) => n.kind === 'unit' && n.name === unitName)
check(unit && unit.risk_class === 1 && unit.doc.assessment?.control_level === 'company', `the server graded the new unit the same (RISK_CLASS ${unit?.risk_class}, ${unit?.doc.assessment?.control_level})`)
await safety.waitForSelector(`[data-node="${unit?.id}"] .lv-red`, { timeout: 5000 }).catch(() => {})
check(!!(await safety.$(`[data-node="${unit?.id}"] .lv-red`)), '… and the tree shows it red with its words')
const ev = await post(safety, '/api/v1/risk-register', { kind: 'event', parent_id: unit?.id, name: `e2e 事件 ${stamp}` })
const measure = await post(safety, '/api/v1/risk-register', {
  kind: 'measure', parent_id: ev.body?.id, name: `e2e 每日巡检 ${stamp}`, data_src: 'inspection', classify1: 'maintenance', classify2: '2-2',
  troubleshoot_content: '检查储罐根部阀、法兰有无泄漏', task: { cycle: { value: 1, unit: 'day' }, required_count: 1, post: '外操', assignee: 'e1.operator' },
})
const taskId = measure.body?.task?.id
check(ev.status === 201 && measure.status === 201 && !!taskId, `an event and a daily measure with its task added under it (task ${taskId?.slice(0, 8)}…)`)

// ------------------------------------------------------------------ 3. operator on a phone
const op = await signIn(browser, opt, creds, 'e1.operator', { width: 390, height: 844 })
await op.goto(opt.url + '/prevention/tasks')
await op.waitForSelector('[data-testid=task-card]', { timeout: 15000 })
const tasks = (await api(op, '/api/v1/inspection-tasks')).body
const cards = await op.$$eval('[data-testid=task-card]', (c) => c.length)
check(cards === tasks.length, `phone layout: one card per task (${cards} = ${tasks.length}) and no table`)
check(!(await op.$('[data-testid=task-table]')), '… the desktop table is not drawn')
const overflow = await op.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
check(overflow <= 1, `no sideways scrolling at 390 px (overflow ${overflow} px)`)
const btn = `[data-testid=task-card][data-task="${taskId}"] [data-testid=record-btn]`
await op.waitForSelector(btn, { timeout: 5000 })
const box = await (await op.$(btn)).boundingBox()
check(box.height >= 44 && box.width >= 300, `the record button is large (${Math.round(box.width)} × ${Math.round(box.height)} px)`)
await op.click(btn)
await op.waitForSelector('[data-testid=record-dialog] input[data-status=danger_found]', { state: 'visible' })
await op.check('input[data-status=danger_found]')
const dangerName = `e2e 储罐根部阀渗漏 ${stamp}`
await op.fill(input('danger-name'), dangerName)
await op.fill(area('danger-desc'), '巡检发现 2 号储罐根部阀法兰有渗漏痕迹')
await op.selectOption('[data-testid=danger-type]', 'equipment')
await op.fill(area('check-note'), 'e2e')
await op.click('[data-testid=record-submit]')
await op.waitForSelector('[data-testid=open-last-danger]', { timeout: 8000 }).catch(() => {})
const after = (await api(op, '/api/v1/inspection-tasks')).body.find((t) => t.id === taskId)
const found = (await api(op, '/api/v1/hidden-dangers?state=reported')).body.find((x) => x.name === dangerName)
check(after?.windows.some((w) => w.state === 'done' && w.done >= 1), "the task's window today is done")
check(found && found.doc.danger_type === 'equipment' && found.doc.risk_measure_id === measure.body.id,
  `the danger found was registered to be graded, linked to the measure (${found?.state})`)
check(!!(await op.$('[data-testid=open-last-danger]')), 'the page says so and links to the danger')

// ------------------------------------------------------------------ 4. grade and plan
await safety.goto(opt.url + '/prevention/dangers')
await safety.waitForSelector(`[data-testid=danger-table] a[data-danger="${found?.id}"]`, { timeout: 10000 })
const todo = await safety.getAttribute('[data-col=todo]', 'data-count')
const reported = (await api(safety, '/api/v1/hidden-dangers?state=reported')).total
check(Number(todo) === Number(reported), `待分级 tab counts the reported dangers (${todo} = ${reported})`)
await safety.click(`[data-testid=danger-table] a[data-danger="${found?.id}"]`)
await safety.waitForSelector(`.dd[data-danger="${found?.id}"] [data-testid=danger-next] [data-action=grade]`, { timeout: 10000 })
await safety.click('[data-testid=danger-next] [data-action=grade]')
await safety.waitForSelector('[data-testid=danger-dialog-ok]', { state: 'visible' })
await safety.click('[data-testid=danger-dialog-ok]')
await safety.waitForSelector(`.dd[data-danger="${found?.id}"][data-state=graded]`, { timeout: 8000 }).catch(() => {})
await safety.waitForSelector('[data-testid=danger-next] [data-action=plan]', { timeout: 5000 })
await safety.click('[data-testid=danger-next] [data-action=plan]')
await safety.waitForSelector(input('plan-owner'), { state: 'visible' })
await safety.fill(input('plan-owner'), 'e1.admin')
await safety.fill(input('plan-funds'), '1200')
await safety.fill(area('plan-measures'), '更换法兰垫片并做泄漏检测')
await safety.click('[data-testid=danger-dialog-ok]')
await safety.waitForSelector(`.dd[data-danger="${found?.id}"][data-state=planned]`, { timeout: 8000 }).catch(() => {})
const planned = (await api(safety, `/api/v1/hidden-dangers/${found?.id}`)).body
check(planned.state === 'planned' && planned.doc.grading?.level === 'general' && planned.doc.plan?.owner === 'e1.admin' && planned.deadline > Date.now(),
  `graded (general, by deadline) and planned in the drawer: ${planned.state}, owner ${planned.doc.plan?.owner}`)
const hist = await safety.$$eval('[data-testid=danger-history] li', (l) => l.map((x) => x.dataset.action))
check(['report', 'grade', 'plan'].every((a) => hist.includes(a)), `the drawer's history has report → grade → plan (${hist.join(', ')})`)
await safety.keyboard.press('Escape')
await safety.goto(opt.url + '/prevention/dangers?tab=all&overdue=1')
await safety.waitForSelector('[data-testid=danger-table]')
await safety.waitForFunction(() => document.querySelector('[data-col=all]')?.dataset.count !== undefined)
await safety.waitForTimeout(500)
const overdueApi = (await api(safety, '/api/v1/hidden-dangers?overdue=true')).total
const overdueUi = await safety.$$eval('[data-testid=danger-table] [data-testid=overdue-badge]', (b) => b.map((x) => x.textContent.trim()))
check(overdueUi.length === Number(overdueApi), `the overdue filter lists the server's overdue dangers with who is told (${overdueUi.length}: ${overdueUi[0] ?? '—'})`)

// ------------------------------------------------------------------ 5. county: supervision
const county = await signIn(browser, opt, creds, 'county')
await county.click('[data-testid=nav-prevention]')
await county.click('[data-testid=prevention-nav] [data-tab=supervision]')
await county.waitForURL(/\/prevention\/supervision$/)
await county.waitForSelector('[data-testid=sup-table] .el-table__body tr, [data-testid=sup-table] .el-table__empty-text', { timeout: 10000 })
await county.waitForTimeout(500)
const major = (await api(county, '/api/v1/hidden-dangers?level=1&limit=1000')).body
const sup = (await api(county, '/api/v1/hidden-dangers?supervised=true&limit=1000')).body
const open = new Map([...major, ...sup].filter((x) => ['reported', 'graded', 'planned', 'rectifying', 'pending_acceptance'].includes(x.state)).map((x) => [x.id, x]))
const supRows = await county.$$eval('[data-testid=sup-table] .el-table__body tr', (t) => t.length)
check(supRows === open.size, `the county lists the open major and supervised dangers of its region (${supRows} = ${open.size})`)
const entCells = await county.$$eval('[data-testid=sup-table] [data-enterprise]', (c) => c.map((x) => [x.dataset.enterprise, x.textContent.trim()]))
check(entCells.length > 0 && entCells.every(([id, t]) => t && t !== id), `with enterprise names (${[...new Set(entCells.map((c) => c[1]))].join(', ')})`)
const target = [...open.values()].find((x) => !x.doc.supervision)
if (target) {
  await county.click(`[data-supervise="${target.id}"]`)
  await county.waitForSelector(input('sup-notice'), { state: 'visible', timeout: 8000 })
  await county.fill(input('sup-notice'), `张应急督〔2026〕${stamp}号`)
  await county.fill(input('sup-authority'), '张家港市应急管理局')
  await county.click('[data-testid=danger-dialog-ok]')
  await county.waitForSelector('[data-testid=danger-supervision]', { timeout: 8000 }).catch(() => {})
  const s = (await api(county, `/api/v1/hidden-dangers/${target.id}`)).body
  check(s.supervised && s.doc.supervision?.authority === '张家港市应急管理局', `the county supervised "${target.name}" (notice ${s.doc.supervision?.notice_number})`)
} else check(true, 'every open major danger is already supervised (nothing to issue)')
const closeable = [...open.values()].find((x) => x.state === 'pending_acceptance' && x.doc.supervision && !x.doc.supervision.closed_at_ms)
if (closeable) check(!!(await county.$(`[data-close="${closeable.id}"]`)), `a supervised danger awaiting acceptance offers 督办销号 (${closeable.name})`)

await browser.close()
process.exit(finish())
