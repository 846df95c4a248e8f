// The console's main scenario, run by `.ci/run` (through scripts/e2e.sh)
// against a fresh `weihua demo` whose first gas leak comes within seconds at
// the enterprise of e1.operator:
//   1. an enterprise user sees only its enterprise (the plan, the lists, and
//      the server refuses another enterprise's installation);
//   2. a county regulator sees its county and not the neighbouring one; the
//      city regulator above both sees both; each sees the region roll-up;
//   3. the leak turns an installation red on the operator's overview and on
//      the city regulator's overview, with no reload, and an alarm appears;
//   4. the operator acknowledges the alarm on the alarm page (the server
//      says it is acknowledged);
//   5. the operator opens the alarm's trend chart and it draws samples.
//   node e2e/ci.mjs --url URL --creds DATA_DIR/demo-credentials.json [--leak-timeout 150]
import { api, check, finish, launch, parseArgs, readCreds, signIn } from './lib.mjs'

const { opt } = parseArgs({ url: 'http://127.0.0.1:18095', creds: '/tmp/web-demo/demo-credentials.json', 'leak-timeout': '150' })
const creds = readCreds(opt.creds)
const idOf = (user) => creds.scope(user).replace(/^enterprise:/, '')
const browser = await launch()
const t0 = Date.now()

// ------------------------------------------------------------------ 1. enterprise scope
const op = await signIn(browser, opt, creds, 'e1.operator')
const city = await signIn(browser, opt, creds, 'city')
const own = idOf('e1.operator')
const ents = await api(op, '/api/v1/enterprises?limit=1000')
check(ents.status === 200 && ents.body.items.length === 1 && ents.body.items[0].id === own,
  `enterprise user lists only its own enterprise (${ents.body.items?.map((e) => e.name).join(', ')})`)
const ownName = ents.body.items[0]?.name
const allInsts = (await api(city, '/api/v1/installations?limit=1000')).body.items
const ownInsts = allInsts.filter((i) => i.enterprise_id === own)
// The plan's container is there before its data: wait for the first plot (a race seen in CI).
const plotNames = async (page) => {
  await page.waitForSelector('[data-testid=site-plan] .plot-name title', { timeout: 15000 }).catch(() => {})
  return page.$$eval('[data-testid=site-plan] .plot-name title', (ns) => ns.map((n) => n.textContent))
}
check(JSON.stringify(await plotNames(op)) === JSON.stringify([ownName]), `enterprise user's plan shows one plot: ${ownName}`)
const blocks = await op.$$eval('[data-testid=site-plan] .inst', (bs) => bs.length)
check(blocks === ownInsts.length && blocks > 0, `… with its ${ownInsts.length} installations (${blocks} drawn)`)
const foreign = allInsts.find((i) => i.enterprise_id !== own)
const denied = await api(op, `/api/v1/installations/${foreign.id}`)
check(denied.status === 404 || denied.status === 403, `another enterprise's installation is refused to it (HTTP ${denied.status})`)

// ------------------------------------------------------------------ 2. regulator scope
const county = await signIn(browser, opt, creds, 'county')
const otherCounty = idOf('e9.admin')
const entsOf = async (page) => (await api(page, '/api/v1/enterprises?limit=1000')).body.items
const countyEnts = await entsOf(county)
const cityEnts = await entsOf(city)
const e9 = cityEnts.find((e) => e.id === otherCounty)
check(!!e9 && !countyEnts.some((e) => e.id === otherCounty), `county regulator does not list ${e9?.name} (neighbouring county); the city regulator does`)
check(countyEnts.length > 1 && cityEnts.length > countyEnts.length, `county sees ${countyEnts.length} enterprises, city ${cityEnts.length}`)
/** Every plot name on the plan, over every place of the place selector. */
async function allPlots(page) {
  // The plan's container is there before its data: wait for the first plot (a race seen in CI).
  await page.waitForSelector('[data-testid=site-plan] .plot-name title', { timeout: 15000 }).catch(() => {})
  const names = new Set(await plotNames(page))
  const sel = await page.$('[data-testid=park-select]')
  if (sel) {
    const values = await sel.$$eval('option', (os) => os.map((o) => o.value))
    const first = await sel.inputValue()
    for (const v of values) {
      await page.selectOption('[data-testid=park-select]', v)
      await page.waitForTimeout(150)
      for (const n of await plotNames(page)) names.add(n)
    }
    await page.selectOption('[data-testid=park-select]', first)
  }
  return names
}
const countyPlots = await allPlots(county)
const cityPlots = await allPlots(city)
check(!countyPlots.has(e9.name) && countyPlots.size === countyEnts.filter((e) => allInsts.some((i) => i.enterprise_id === e.id)).length,
  `county's plans show its ${countyPlots.size} enterprises with installations, not ${e9.name}`)
check(cityPlots.has(e9.name) && cityPlots.size > countyPlots.size, `city's plans include ${e9.name} (${cityPlots.size} enterprises)`)
for (const [who, page, n] of [['county', county, countyEnts.length], ['city', city, cityEnts.length]]) {
  const rollup = await page.waitForSelector('[data-testid=rollup]', { timeout: 5000 }).catch(() => null)
  const rows = rollup ? await page.$$eval('[data-testid=rollup] tbody tr[data-kind=enterprise]', (rs) => rs.length) : 0
  check(rows === n, `${who} regulator's home rolls up its ${n} enterprises (${rows} rows)`)
}
await county.context().close()

// ------------------------------------------------------------------ 3. the leak
const ms = Number(opt['leak-timeout']) * 1000
const red = '[data-testid=site-plan] .inst[data-level=red]'
const tLeak = Date.now()
await op.waitForSelector(red, { timeout: ms }).then(
  () => check(true, `a leak turned an installation red on the operator's overview (${((Date.now() - t0) / 1000).toFixed(0)} s after sign-in, no reload)`),
  () => check(false, `an installation turned red within ${opt['leak-timeout']} s`))
const redLabel = (await op.$eval(red, (b) => b.getAttribute('aria-label')).catch(() => '')) ?? ''
check(redLabel.includes('红'), `the red installation says so in words: "${redLabel}"`)
await city.waitForSelector(red, { timeout: 15000 }).then(
  () => check(true, 'the city regulator\'s overview turned it red too'),
  () => check(false, 'the city regulator\'s overview turned it red'))
// The same on the plan drawn to scale from the GeoJSON weihua serves.
await city.click('[data-testid=plan-geo]')
await city.waitForSelector('[data-testid=geo-plan] .inst[data-level=red]', { timeout: 5000 }).then(
  () => check(true, 'the to-scale plan (GeoJSON from /api/v1/site-plan) shows it red as well'),
  () => check(false, 'the to-scale plan shows the red installation'))
const geoNames = await city.$$eval('[data-testid=geo-plan] .ent-name', (ns) => ns.map((n) => n.textContent))
check(geoNames.includes(ownName), `… inside ${ownName}'s outline`)
await city.click('[data-testid=plan-schematic]')
const ticker = await op.textContent('[data-testid=ticker]')
check(/报警|alarm/i.test(ticker ?? ''), 'the live feed shows the alarm')
const unacked = Number((await op.textContent('[data-testid=fig-unacked] b'))?.trim())
check(unacked > 0, `unacknowledged alarms counted on the overview (${unacked})`)
console.log(`leak → red: waited ${((Date.now() - tLeak) / 1000).toFixed(1)} s`)

// ------------------------------------------------------------------ 4. acknowledge
await op.click('[data-testid=fig-unacked]')
await op.waitForURL(/\/alarms\?.*state=unacknowledged/)
await op.waitForSelector('[data-testid=alarm-table] [data-alarm]', { timeout: 10000 })
const listed = await op.$$eval('[data-testid=alarm-table] .st', (ss) => ss.map((s) => s.textContent.trim()))
check(listed.length > 0 && listed.every((t) => /未确认|Unacknowledged|unacknowledged/.test(t)), `the unacknowledged figure opens the alarm list filtered to them (${listed.length})`)
// All open alarms, so the row stays in the list once acknowledged.
await op.goto(opt.url + '/alarms')
const ackButton = '[data-testid=alarm-table] [data-alarm] button[data-act=ack]'
await op.waitForSelector(ackButton, { timeout: 10000 })
const alarmId = await op.$eval(ackButton, (b) => b.closest('[data-alarm]').getAttribute('data-alarm'))
const rowOf = (id) => `[data-testid=alarm-table] tr:has([data-alarm="${id}"])`
const tag = (await op.textContent(`${rowOf(alarmId)} a.mono`))?.trim()
await op.click(`${rowOf(alarmId)} button[data-act=ack]`)
await op.waitForSelector('.el-message--success', { timeout: 5000 })
const after = await api(op, `/api/v1/alarms/${encodeURIComponent(alarmId)}`)
check(after.status === 200 && after.body.acked === true && after.body.acked_by, `the server has alarm ${alarmId} acknowledged (by ${after.body.acked_by})`)
await op.waitForFunction((sel) => !document.querySelector(sel), `${rowOf(alarmId)} button[data-act=ack]`, { timeout: 5000 }).then(
  () => check(true, 'its acknowledge button is gone from the row'),
  () => check(false, 'its acknowledge button is gone from the row'))
const stateText = await op.textContent(`${rowOf(alarmId)} .st`).catch(() => '')
check(/已确认|Acknowledged/.test(stateText ?? '') || !after.body.active, `the row shows the new state (${stateText?.trim()})`)

// ------------------------------------------------------------------ 5. trend
await op.click(`${rowOf(alarmId)} a.mono`)
await op.waitForURL(/\/points\//)
await op.waitForSelector('.chart canvas', { timeout: 10000 })
await op.waitForFunction(() => !document.querySelector('.chart .el-loading-mask:not([style*="display: none"])'), null, { timeout: 10000 }).catch(() => {})
const hasSamples = await op.$('.chart .empty').then((e) => !e)
check(hasSamples, `the trend chart of ${tag} draws the historian's samples`)
const latestText = await op.textContent('.page-head')
check(/\d/.test(latestText ?? '') && (latestText ?? '').includes(tag), `the trend page names ${tag} and shows its latest value`)

await browser.close()
process.exit(finish())
