// Quantitative risk assessment (定量风险评估) and live threat zones in the
// console, against a `weihua demo` (whose first gas leak comes a few seconds
// after start at e1's plant). Checks structure against the API, not numbers:
//   1. the park office opens 定量风险评估 from the menu: the studies listed are
//      the API's, each with its maximum individual risk as a power of ten and
//      where its F-N curve lies in words; the consequence-model calculator runs
//      a model from its example input, and shows the API's bilingual 422 error
//      (with the field) for a bad input;
//   2. it opens the first study: contours drawn to scale as SVG paths, one per
//      feature, labelled with their level (×10⁻ⁿ/年) and in the legend; release
//      points; the F-N chart drawn (canvas) with the three regions named and the
//      study's one marked; the external safety distances (rows with metres) and
//      the targets (pass/fail in words); in English after switching; the HTML
//      report answers 200 text/html;
//   3. on the overview it waits (up to --wait s) for a live threat zone: the
//      panel names the substance and the triggering tag; on the to-scale plan
//      the zone's polygons, source and wind arrow (wind in words) are drawn.
//   node e2e/qra-flow.mjs --url URL --creds DATA_DIR/demo-credentials.json [--user park] [--wait 60]
import { api, check, errors, finish, launch, parseArgs, readCreds, watch } from './lib.mjs'

const { opt } = parseArgs({ url: 'http://127.0.0.1:18121', creds: '/tmp/qra-demo/demo-credentials.json', user: 'park', wait: '60' })
const creds = readCreds(opt.creds)
const browser = await launch()

// Signed in through the form, as lib.mjs's signIn, but with the one expected
// 422 (the calculator's refused input) allowed while it is being provoked.
let expect422 = false
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
await ctx.addInitScript(() => localStorage.setItem('weihua.lang', 'zh'))
const page = await ctx.newPage()
watch(page, opt.user, (text) => expect422 && /status of 422/.test(text))
await page.goto(opt.url + '/login')
await page.fill('#login-user', opt.user)
await page.fill('#login-password', creds.password(opt.user))
await page.click('button[type=submit]')
await page.waitForSelector('[data-testid=site-plan], .empty', { timeout: 15000 })
const origin = new URL(page.url()).origin
const csrf = (await api(page, '/api/v1/auth/me')).body.csrf_token

// ------------------------------------------------------------------ 1. studies and the calculator
await page.click('[data-testid=nav-qra]')
await page.waitForURL(/\/qra$/)
const list = await api(page, '/api/v1/qra/studies')
const studies = Array.isArray(list.body) ? list.body : list.body?.items ?? []
check(list.status === 200, `GET /api/v1/qra/studies answers 200 (${list.status})`)
if (!check(studies.length > 0, `${opt.user} sees at least one QRA study (${studies.length})`)) {
  await browser.close()
  process.exit(finish() || 1)
}
await page.waitForSelector('[data-testid=qra-studies] tbody tr[data-study]', { timeout: 10000 })
const rows = await page.$$eval('[data-testid=qra-studies] tbody tr[data-study]', (trs) => trs.map((tr) => ({
  id: tr.dataset.study, text: tr.textContent, region: tr.querySelector('.fnr')?.textContent.trim() ?? '',
})))
check(rows.length === studies.length && studies.every((s) => rows.some((r) => r.id === s.id)),
  `the list has the API's studies (${rows.length} = ${studies.length})`)
check(rows.every((r) => /×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+\/年/.test(r.text)), `each maximum individual risk reads as a power of ten per year (${rows[0].text.match(/[\d.]+×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+\/年/)?.[0]})`)
check(rows.every((r) => ['不可接受区', '尽可能降低区', '可接受区'].includes(r.region)), `each study says in words where its F-N curve lies (${rows.map((r) => r.region).join(', ')})`)

const models = (await api(page, '/api/v1/qra/models')).body
check(Array.isArray(models) && models.length > 0, `GET /api/v1/qra/models lists models (${models?.length})`)
await page.waitForFunction((n) => document.querySelectorAll('[data-testid=qra-model] option').length === n, models.length, { timeout: 10000 })
const kb = models.some((x) => x.name === 'kingery_bulmash') ? 'kingery_bulmash' : models[0].name
await page.selectOption('[data-testid=qra-model]', kb)
await page.waitForFunction((k) => (k === 'kingery_bulmash' ? /tnt_mass_kg/ : /./).test(document.querySelector('[data-testid=qra-input]').value), kb)
const example = await page.inputValue('[data-testid=qra-input]')
await page.click('[data-testid=qra-run]')
await page.waitForSelector('[data-testid=qra-output], [data-testid=qra-error]', { timeout: 10000 })
const out = await page.$('[data-testid=qra-output]')
const direct = await ctx.request.post(`${origin}/api/v1/qra/models/${kb}`, { data: JSON.parse(example), headers: { 'X-CSRF-Token': csrf } })
const directBody = await direct.json()
check(out && direct.status() === 200 && JSON.stringify(JSON.parse(await out.textContent())) === JSON.stringify(directBody),
  `the calculator runs ${kb} from its example and shows the API's output (${Object.keys(directBody).slice(0, 3).join(', ')}…)`)
if (kb === 'kingery_bulmash') {
  const bad = { tnt_mass_kg: 1, distance_m: -5 }
  const refused = await ctx.request.post(`${origin}/api/v1/qra/models/${kb}`, { data: bad, headers: { 'X-CSRF-Token': csrf } })
  const err = (await refused.json()).error
  expect422 = true
  await page.fill('[data-testid=qra-input]', JSON.stringify(bad))
  await page.click('[data-testid=qra-run]')
  await page.waitForSelector('[data-testid=qra-error]', { timeout: 10000 })
  const shown = await page.textContent('[data-testid=qra-error]')
  expect422 = false
  check(refused.status() === 422 && shown.includes(err.message_zh) && (!err.field || shown.includes(err.field)),
    `a refused input shows the API's message and field (${shown.trim().slice(0, 60)})`)
}

// ------------------------------------------------------------------ 2. a study
const first = rows[0].id
const study = (await api(page, `/api/v1/qra/studies/${first}`)).body
await page.click(`[data-testid=qra-studies] a[data-study="${first}"]`)
await page.waitForURL(new RegExp(`/qra/${first}$`))
await page.waitForSelector('[data-testid=risk-contours]', { timeout: 10000 })
check((await page.textContent('[data-testid=qra-study-name]')).includes(study.name), `the study page is titled ${study.name}`)
// Levels the risk never reaches come as features without rings: nothing to draw.
const features = study.result.contours.features.filter((f) => (f.geometry?.coordinates ?? []).length > 0)
const paths = await page.$$eval('[data-testid=risk-contours] path.contour', (ps) => ps.map((p) => ({ d: p.getAttribute('d'), level: Number(p.dataset.level) })))
check(paths.length === features.length && paths.every((p) => p.d && p.d.length > 20),
  `the contours are drawn as SVG paths, one per feature (${paths.length} = ${features.length})`)
const levels = [...new Set(features.map((f) => f.properties.level_per_year))]
check(levels.every((l) => paths.some((p) => p.level === l)), `every contour level is drawn (${levels.length} levels)`)
const svgLabels = await page.$$eval('[data-testid=risk-contours] text.clabel', (ts) => ts.map((t) => t.textContent))
check(svgLabels.length > 0 && svgLabels.every((t) => /10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+/.test(t)), `contours are labelled with their level on the plan (${svgLabels.slice(0, 3).join(', ')}…)`)
const legend = await page.$$eval('[data-testid=contour-legend] .li[data-level]', (ls) => ls.map((l) => l.textContent.trim()))
// The legend lists every level of the study, reached or not.
const allLevels = new Set(study.result.contours.features.map((f) => f.properties.level_per_year))
check(legend.length === allLevels.size, `the legend names each level in words (${legend.join(' | ')})`)
const srcs = await page.$$eval('[data-testid=risk-contours] .source', (s) => s.length)
check(srcs === study.result.sources.features.length, `the release points are marked (${srcs})`)
check(await page.$('[data-testid=risk-contours] .bar') && await page.$('[data-testid=risk-contours] .north'), 'the plan has a scale bar and a north arrow')

await page.waitForSelector('[data-testid=fn-chart] canvas', { timeout: 15000 })
const canvas = await page.$eval('[data-testid=fn-chart] canvas', (c) => ({ w: c.width, h: c.height }))
check(canvas.w > 100 && canvas.h > 100, `the F-N chart is drawn (canvas ${canvas.w}×${canvas.h})`)
const regions = await page.$$eval('[data-testid=fn-chart] .rg', (rs) => rs.map((r) => [r.dataset.region, r.textContent.trim(), r.classList.contains('here')]))
check(['不可接受区', '尽可能降低区', '可接受区'].every((n) => regions.some(([, t]) => t.includes(n))), 'the F-N regions are named: 不可接受区 / 尽可能降低区 / 可接受区')
check(regions.some(([r, , here]) => here && r === study.summary.fn_region), `the study's region is marked (${study.summary.fn_region})`)
const fnLabel = await page.getAttribute('[data-testid=fn-chart] .echart', 'aria-label')
check(fnLabel && fnLabel.includes('F-N'), `the chart is labelled for screen readers (${fnLabel})`)

const dist = await page.$$eval('[data-testid=qra-distances] tbody tr[data-class]', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())))
check(dist.length === study.result.distances.length && dist.length > 0, `the safety distance table has a row per target class (${dist.length})`)
check(dist.every((r, k) => /10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+\/年/.test(r[1]) && (study.result.distances[k].distance_m == null || /^\d[\d.]*\s*k?m$/.test(r[2]))),
  `each row has its criterion and distance as numbers (${dist[0]?.join(' · ')})`)
const targets = await page.$$eval('[data-testid=qra-targets] tbody .pf', (ps) => ps.map((p) => [p.dataset.pass, p.textContent.trim()]))
const verdictOk = ([pass, t]) => (pass === 'true' ? /满足/.test(t) && !/不满足/.test(t) : pass === 'false' ? /不满足/.test(t) : /不在计算范围内/.test(t))
check(targets.length === study.result.targets.length && targets.every(verdictOk),
  `targets pass or fail in words as well as colour (${targets.map((t) => t[1]).join(', ') || 'none'})`)

await page.selectOption('.lang select', 'en')
await page.waitForFunction(() => document.querySelector('[data-testid=fn-chart] .regions')?.textContent.includes('ALARP'))
const en = await page.textContent('main')
check(/Unacceptable/.test(en) && /Acceptable/.test(en) && /×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+\/yr/.test(en), '… and in English after switching (regions, per-year figures)')
await page.selectOption('.lang select', 'zh')

const href = await page.getAttribute('[data-testid=qra-report]', 'href')
const rep = await ctx.request.get(origin + href)
check(rep.status() === 200 && /text\/html/.test(rep.headers()['content-type'] ?? '') && /<html|<!doctype/i.test(await rep.text()),
  `the HTML report ${href} answers 200 text/html`)
check(await page.getAttribute('[data-testid=qra-report]', 'target') === '_blank', 'the report opens in a new tab')

// ------------------------------------------------------------------ 3. a live threat zone on the overview
await page.goto(opt.url + '/')
await page.waitForSelector('[data-testid=site-plan], .empty', { timeout: 15000 })
const waitMs = Number(opt.wait) * 1000
const got = await page.waitForSelector('[data-testid=threat-zone-list] li[data-zone]', { timeout: waitMs }).then(() => true, () => false)
const zones = (await api(page, '/api/v1/threat-zones')).body
if (check(got && Array.isArray(zones) && zones.length > 0, `a live threat zone appears on the overview within ${opt.wait} s (${zones?.length ?? 0} active)`)) {
  const drawable = (x) => (x.zones?.features?.length ?? 0) > 0
  const z = zones.find((x) => x.enterprise_id === 'e1' && drawable(x)) ?? zones.find(drawable) ?? zones[0]
  const li = `[data-testid=threat-zone-list] li[data-zone="${z.id}"]`
  await page.waitForSelector(li, { timeout: 10000 })
  const text = await page.textContent(li)
  const WIND = /([东南西北]+风|风向未知) [\d.]+ m\/s/
  check(z.substance && text.includes(z.substance.name_zh) && text.includes(z.trigger.tag),
    `the panel names the substance and the trigger (${z.substance?.name_zh ?? 'no substance: ' + JSON.stringify(z.error)}, ${z.trigger.tag})`)
  check(WIND.test(text), `… and the wind in words (${text.match(WIND)?.[0]})`)
  const hazards = [...new Set((z.zones?.features ?? []).map((f) => f.properties.hazard))]
  const chips = await page.$$eval(`${li} .chip`, (cs) => cs.map((c) => c.dataset.hazard))
  check(hazards.length > 0 && hazards.every((h) => chips.includes(h)), `… the farthest reach per hazard (${chips.join(', ')})`)
  const assumed = (z.source?.assumed?.length ?? 0) + (z.wind.assumed ? 1 : 0)
  if (assumed) check(await page.$(`${li} .assumed`), `… and marks assumed inputs (${[...(z.source?.assumed ?? []), ...(z.wind.assumed ? ['wind'] : [])].join(', ')})`)
  await page.click(`${li} button.show`)
  const zoneSel = `[data-testid=geo-plan] [data-zone="${z.id}"]`
  await page.waitForSelector(`${zoneSel} path.tz-poly`, { timeout: 10000 }).catch(() => {})
  const polys = await page.$$eval(`${zoneSel} path.tz-poly`, (ps) => ps.map((p) => p.getAttribute('d')?.length ?? 0))
  check(polys.length > 0 && polys.length === z.zones.features.length && polys.every((n) => n > 20), `its polygons are drawn on the to-scale plan (${polys.length} = ${z.zones.features.length})`)
  const wind = (await page.textContent(`${zoneSel} .tz-wind-text`).catch(() => '')) ?? ''
  if (z.wind.from_deg != null) check(WIND.test(wind) && await page.$(`${zoneSel} .tz-wind polygon`), `with its wind arrow and the wind in words (${wind})`)
  else check(WIND.test(wind), `with the wind in words, direction unknown so no arrow (${wind})`)
  if (z.source) check(await page.$(`${zoneSel} .tz-src circle`), 'and its source marked')
  const labels = await page.$$eval(`${zoneSel} .tz-label`, (ts) => ts.map((t) => t.textContent))
  check(labels.length === z.zones.features.length && labels.every((t) => /\d+(\.\d+)? k?m/.test(t)), `each zone is labelled with its level and reach (${labels.join(' | ')})`)
}

await browser.close()
if (errors.length) console.error(`(${errors.length} console error(s))`)
process.exit(finish())
