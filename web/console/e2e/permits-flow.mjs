// Special work permits (特殊作业票, GB 30871-2022) in the console, against a
// `weihua demo` that has seeded a day of permits for e1 and e2. Checks
// structure, not numbers:
//   1. e1.safety opens 特殊作业 from the menu: the board's counts by state are
//      the server's, today's list has as many permits as the board counts, the
//      ongoing count is the number of approved/reported/in-progress/suspended
//      permits, and at least one permit is in progress;
//   2. it opens a permit in progress: header, state in words, next steps as the
//      engine judged them (allowed ones enabled; refused ones listed with their
//      clause), in Chinese and, after switching, in English; QR of the on-site
//      page; the on-site page answers without a session; the A4 print view;
//   3. it opens a permit that is not yet approved: a refused step shows each
//      reason with its clause;
//   4. it applies for a new permit through the form (work at height, tomorrow)
//      and lands on its detail page as a draft;
//   5. the city regulator sees only reported permits (list, board), cannot act,
//      and an unreported permit of e1 is refused to it.
//   node e2e/permits-flow.mjs --url URL --creds DATA_DIR/demo-credentials.json
import { api, check, finish, launch, parseArgs, readCreds, signIn } from './lib.mjs'

const { opt } = parseArgs({ url: 'http://127.0.0.1:18121', creds: '/tmp/perm-demo-a/demo-credentials.json' })
const creds = readCreds(opt.creds)
const browser = await launch()
const DAY = 86400_000
const dayStart = Math.floor((Date.now() + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000
const ONGOING = 'approved,reported,in_progress,suspended'
const sum = (o) => Object.values(o ?? {}).reduce((a, n) => a + n, 0)

// ------------------------------------------------------------------ 1. board
const safety = await signIn(browser, opt, creds, 'e1.safety')
await safety.click('[data-testid=nav-permits]')
await safety.waitForURL(/\/permits$/)
await safety.waitForSelector('[data-testid=board-today] .state-btn, [data-testid=board-today] li.muted', { timeout: 10000 })
await safety.waitForSelector('[data-testid=permit-total]')
const board = (await api(safety, '/api/v1/permits/board')).body
const uiStates = await safety.$$eval('[data-testid=board-today] .state-btn', (bs) => bs.map((b) => [b.dataset.state, Number(b.dataset.count), b.textContent.trim()]))
check(uiStates.length > 0 && uiStates.every(([s, n]) => board.today_by_state[s] === n),
  `board shows today's permits by state as the server counts them (${uiStates.map(([s, n]) => `${s} ${n}`).join(', ')})`)
check(uiStates.every(([s, , text]) => text.replace(/\d+/g, '').trim().length > 0 && !/^[a-z_]+$/.test(text.replace(/\d+/g, '').trim())),
  `each state count carries its state in words, not colour only (${uiStates.map((u) => u[2]).join(' | ')})`)
await safety.waitForFunction((n) => document.querySelector('[data-testid=permit-total]')?.dataset.count === String(n), sum(board.today_by_state), { timeout: 5000 }).catch(() => {})
const uiTotal = Number(await safety.getAttribute('[data-testid=permit-total]', 'data-count'))
const todayList = await api(safety, `/api/v1/permits?from=${dayStart}&to=${dayStart + DAY}&limit=1`)
check(uiTotal === sum(board.today_by_state) && Number(todayList.total) === uiTotal,
  `today's list has as many permits as the board counts (${uiTotal} = ${sum(board.today_by_state)} = ${todayList.total})`)
const ongoing = await api(safety, `/api/v1/permits?state=${ONGOING}&limit=1`)
const uiOngoing = Number(await safety.getAttribute('[data-testid=board-total-ongoing]', 'data-count'))
check(board.total_ongoing === Number(ongoing.total) && uiOngoing === board.total_ongoing,
  `ongoing special work: board ${board.total_ongoing} = list of ${ONGOING} ${ongoing.total} = shown ${uiOngoing}`)
const ongoingCells = await safety.$$eval('[data-testid=board-ongoing] .lvchip b', (bs) => bs.reduce((a, b) => a + Number(b.textContent), 0))
check(ongoingCells === board.total_ongoing, `the enterprise × kind × level table adds up to the ongoing total (${ongoingCells})`)
const running = await api(safety, '/api/v1/permits?state=in_progress&limit=100')
check(running.body.length >= 1, `at least one permit is in progress (${running.body.map((p) => p.number).join(', ')})`)
const rows = await safety.$$eval('[data-testid=permit-table] .el-table__body tr', (trs) => trs.length)
check(rows === Math.min(uiTotal, 50), `the list draws today's permits (${rows} rows)`)

// ------------------------------------------------------------------ 2. a permit in progress
await safety.goto(opt.url + '/permits?state=in_progress')
await safety.waitForSelector('[data-testid=permit-table] a[data-permit]', { timeout: 10000 })
const shownStates = await safety.$$eval('[data-testid=permit-table] .pst', (ts) => ts.map((t) => t.dataset.state))
check(shownStates.length > 0 && shownStates.every((s) => s === 'in_progress'), `filtering by state lists only permits in progress (${shownStates.length})`)
const pid = await safety.getAttribute('[data-testid=permit-table] a[data-permit]', 'data-permit')
await safety.click(`[data-testid=permit-table] a[data-permit="${pid}"]`)
await safety.waitForURL(new RegExp(`/permits/${pid}$`))
await safety.waitForSelector('[data-testid=permit-next] li[data-action]', { timeout: 10000 })
const view = (await api(safety, `/api/v1/permits/${pid}`)).body
const head = await safety.textContent('[data-testid=permit-head]')
check(head.includes(view.number) && head.includes('作业中'), `detail header names ${view.number} and its state in words (作业中)`)
const uiNext = await safety.$$eval('[data-testid=permit-next] li[data-action]', (ls) => ls.map((l) => [l.dataset.action, l.dataset.allowed === 'true', !l.querySelector('button').disabled]))
const apiNext = view.next.filter((d) => !['amend', 'continue'].includes(d.action))
check(uiNext.length === apiNext.length && apiNext.every((d) => uiNext.some(([a, ok, enabled]) => a === d.action && ok === d.allowed && enabled === d.allowed)),
  `next steps are the engine's: ${uiNext.map(([a, ok]) => `${a}${ok ? '' : ' (refused)'}`).join(', ')}`)
check(uiNext.some(([a, ok]) => a === 'suspend' && ok) && uiNext.some(([a, ok]) => a === 'complete' && ok), 'a permit in progress may be suspended and completed')
const qr = await safety.$('[data-testid=permit-qr] svg')
check(!!qr, 'the on-site page has its QR code on the detail page')
const pub = await safety.getAttribute('[data-testid=permit-public-link]', 'href')
const site = await (await browser.newContext()).request.get(opt.url + pub)
check(site.status() === 200 && /有效|VALID|已中断|SUSPENDED/.test(await site.text()), `the on-site page ${pub.slice(0, 12)}… answers without a session`)
await safety.click('[data-testid=permit-print-link]')
await safety.waitForSelector('[data-testid=permit-sheet] [data-testid=permit-qr] svg', { timeout: 10000 })
const sheet = await safety.textContent('[data-testid=permit-sheet]')
check(sheet.includes(view.number) && sheet.includes('安全作业票'), 'the A4 print view shows the ticket with its number and QR code')
await safety.emulateMedia({ media: 'print' })
check(await safety.$eval('header.top', (h) => getComputedStyle(h).display === 'none'), 'printing leaves only the ticket (no navigation)')
await safety.emulateMedia({ media: 'screen' })

// ------------------------------------------------------------------ 3. refusals with clauses, zh and en
const pending = (await api(safety, '/api/v1/permits?state=draft,gas_analysis,approving&limit=100')).body
const others = (await api(safety, '/api/v1/permits?limit=200')).body.filter((p) => !pending.some((q) => q.id === p.id))
let withRefusal = null
for (const p of [...pending, ...others]) {
  const v = (await api(safety, `/api/v1/permits/${p.id}`)).body
  const d = v.next.find((x) => !x.allowed && x.refusals.length && !['amend', 'continue'].includes(x.action))
  if (d) { withRefusal = { v, d }; break }
}
if (check(!!withRefusal, `a permit not yet approved has a refused step (${withRefusal?.v.number}: ${withRefusal?.d.action})`)) {
  const { v, d } = withRefusal
  await safety.goto(opt.url + `/permits/${v.id}`)
  const li = `[data-testid=permit-next] li[data-action="${d.action}"]`
  await safety.waitForSelector(`${li} .why li`, { timeout: 10000 })
  const zh = await safety.$$eval(`${li} .why li`, (ls) => ls.map((l) => l.textContent))
  check(zh.length === d.refusals.length && d.refusals.every((r, i) => zh[i].includes(r.message_zh) && zh[i].includes(r.clause)),
    `refused "${d.action}" lists every reason with its clause (${d.refusals.map((r) => r.clause).join('; ')})`)
  check(await safety.$eval(`${li} button`, (b) => b.disabled), 'its button is disabled')
  await safety.selectOption('.lang select', 'en')
  await safety.waitForFunction((s) => [...document.querySelectorAll(s)].some((l) => /[a-z]{4}/.test(l.textContent)), `${li} .why li .msg`)
  const en = await safety.$$eval(`${li} .why li .msg`, (ls) => ls.map((l) => l.textContent.trim()))
  check(d.refusals.every((r, i) => en[i] === r.message_en.trim()), `… and in English after switching (${en[0]?.slice(0, 60)}…)`)
  await safety.selectOption('.lang select', 'zh')
}

// a sign-off through the dialog: the next row is proposed; the server signs or refuses with reasons
const approving = (await api(safety, '/api/v1/permits?state=approving&limit=100')).body
  .find(() => true)
if (approving) {
  await safety.goto(opt.url + `/permits/${approving.id}`)
  const btn = '[data-testid=permit-next] li[data-action=approve] button'
  await safety.waitForSelector(btn, { timeout: 10000 })
  if (await safety.$eval(btn, (b) => !b.disabled)) {
    const before = (await api(safety, `/api/v1/permits/${approving.id}`)).body.doc.approvals.length
    await safety.click(btn)
    await safety.waitForSelector('[data-testid=permit-dialog-ok]', { state: 'visible' })
    await safety.click('[data-testid=permit-dialog-ok]')
    const outcome = await Promise.race([
      safety.waitForSelector('.el-message--success', { timeout: 8000 }).then(() => 'signed'),
      safety.waitForSelector('[data-testid=permit-next] .el-alert--error', { timeout: 8000 }).then(() => 'refused'),
    ]).catch(() => 'nothing')
    const after = (await api(safety, `/api/v1/permits/${approving.id}`)).body.doc.approvals.length
    check((outcome === 'signed' && after === before + 1) || (outcome === 'refused' && after === before),
      `signing off ${approving.number} through the dialog: ${outcome} (sign-offs ${before} → ${after})`)
  }
}

// ------------------------------------------------------------------ 4. apply for a permit through the form
await safety.goto(opt.url + '/permits')
await safety.click('[data-testid=permit-new]')
await safety.waitForURL(/\/permits\/new$/)
await safety.check('input[data-kind=height]')
await safety.fill(':is([data-testid=height-m] input, input[data-testid=height-m])', '6')
await safety.click('[data-testid=new-installation]')
await safety.click('.el-select-dropdown:visible .el-select-dropdown__item >> nth=0')
await safety.fill(':is([data-testid=new-place] input, input[data-testid=new-place])', 'e2e 管廊 2 层')
await safety.fill(':is([data-testid=new-content] textarea, textarea[data-testid=new-content])', 'e2e 更换保温')
const tomorrow = new Date(dayStart + DAY + 8 * 3600_000).toISOString().slice(0, 10)
await safety.fill('[data-testid=new-start]', `${tomorrow}T09:00`)
await safety.fill('[data-testid=new-end]', `${tomorrow}T15:00`)
await safety.fill('[data-worker="0"] label:has-text("姓名") input', '周杰')
await safety.fill('[data-worker="1"] label:has-text("姓名") input', '吴刚')
const checklistRows = await safety.$$('.ck select')
if (checklistRows.length) await safety.click('button:has-text("一键填写")')
await safety.click('[data-testid=new-submit]')
await safety.waitForURL(/\/permits\/[0-9a-f-]{36}$/, { timeout: 10000 }).catch(() => {})
const newId = safety.url().split('/').pop()
const created = await api(safety, `/api/v1/permits/${newId}`)
check(created.status === 200 && created.body.kind === 'height' && created.body.state === 'draft' && created.body.doc.workers.length === 2,
  `the form created a draft height permit ${created.body.number ?? ''} (level ${created.body.level ?? '—'}) and opened it`)
check(!checklistRows.length || created.body.doc.measures.length === created.body.checklist.length,
  `… with its Annex A checklist answered (${created.body.doc?.measures?.length ?? 0} rows)`)

// ------------------------------------------------------------------ 5. the city regulator: reported permits only
const city = await signIn(browser, opt, creds, 'city')
await city.click('[data-testid=nav-permits]')
await city.waitForSelector('[data-testid=permit-total]')
const cityAll = await api(city, '/api/v1/permits?limit=1000')
check(cityAll.body.length > 0 && cityAll.body.every((p) => p.reported_at != null), `the city lists only reported permits (${cityAll.body.length}, all reported)`)
const cityBoard = (await api(city, '/api/v1/permits/board')).body
const cityToday = await api(city, `/api/v1/permits?from=${dayStart}&to=${dayStart + DAY}&limit=1`)
await city.waitForFunction((n) => document.querySelector('[data-testid=permit-total]')?.dataset.count === String(n), cityToday.total, { timeout: 5000 }).catch(() => {})
check(Number(await city.getAttribute('[data-testid=permit-total]', 'data-count')) === Number(cityToday.total) && sum(cityBoard.today_by_state) === Number(cityToday.total),
  `its board and list agree (${cityToday.total} today)`)
check(!(await city.$('[data-testid=permit-new]')), 'the city has no button to apply for a permit')
const unreported = (await api(safety, '/api/v1/permits?limit=1000')).body.find((p) => p.reported_at == null)
if (unreported) {
  const r = await api(city, `/api/v1/permits/${unreported.id}`)
  check(r.status === 404 || r.status === 403, `an unreported permit of e1 (${unreported.number}, ${unreported.state}) is refused to the city (HTTP ${r.status})`)
}
const reported = cityAll.body.find((p) => p.state === 'in_progress') ?? cityAll.body[0]
await city.goto(opt.url + `/permits/${reported.id}`)
await city.waitForSelector('[data-testid=permit-next]')
const cityButtons = await city.$$eval('[data-testid=permit-next] li[data-action] button', (bs) => bs.filter((b) => !b.disabled).length)
check(cityButtons === 0 && (await city.textContent('[data-testid=permit-next]')).includes('只读'), `the city sees ${reported.number} read only (no step enabled)`)
check(!(await city.$('[data-testid=gas-form]')), '… and cannot record gas tests')

await browser.close()
process.exit(finish())
