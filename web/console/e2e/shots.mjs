// Screenshots of the console, signed in through its own login form, in
// headless Chromium (Debian's /usr/bin/chromium driven by playwright-core: no
// browser download). Fails when a page logs a console error.
//
//   node e2e/shots.mjs --url http://127.0.0.1:18095 --creds /tmp/web-demo/demo-credentials.json \
//        --user park --out /tmp/shots [--lang en] [--size 1366x768] [--label enterprise] [--tag T] [page ...]
// Pages: overview alarms points trend installation print kpis gb18218 registry
// ledger permits prevention dangers tasks register (default: all but tasks, register). `installation` is the first installation the user sees (or --inst ID);
// `print` is the same page in print media, saved as PDF too, and fails unless
// it fits one A4 page. Prints one line per page with the first-paint time of
// the overview.
import { chromium } from 'playwright-core'
import { readFileSync, mkdirSync } from 'node:fs'

const args = process.argv.slice(2)
const opt = { url: 'http://127.0.0.1:18095', creds: '/tmp/web-demo/demo-credentials.json', user: 'park', out: '/tmp/shots', lang: 'zh', size: '1366x768', wait: '2500' }
const pages = []
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) opt[args[i].slice(2)] = args[++i]
  else pages.push(args[i])
}
const [width, height] = opt.size.split('x').map(Number)
const creds = JSON.parse(readFileSync(opt.creds, 'utf8'))
const password = opt.password ?? creds.users.find((u) => u.username === opt.user)?.password
if (!password) throw new Error(`no user ${opt.user} in ${opt.creds}`)
mkdirSync(opt.out, { recursive: true })

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const ctx = await browser.newContext({ viewport: { width, height }, locale: opt.lang === 'en' ? 'en-US' : 'zh-CN' })
await ctx.addInitScript((l) => localStorage.setItem('weihua.lang', l), opt.lang)
const page = await ctx.newPage()
const errors = []
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
page.on('pageerror', (e) => errors.push(String(e)))

const t0 = Date.now()
await page.goto(opt.url + '/')
await page.waitForSelector('#login-user')
await page.fill('#login-user', opt.user)
await page.fill('#login-password', password)
await page.click('button[type=submit]')
await page.waitForSelector('[data-testid=site-plan], .empty', { timeout: 10000 })
const paintMs = Date.now() - t0
const want = pages.length ? pages : ['overview', 'alarms', 'points', 'trend', 'installation', 'print', 'kpis', 'gb18218', 'registry', 'ledger', 'permits', 'prevention', 'dangers', 'qra', 'study']
const inst = opt.inst ?? (want.some((p) => p === 'installation' || p === 'print')
  ? await page.evaluate(async () => (await (await fetch('/api/v1/installations?limit=1')).json()).items[0]?.id)
  : '')
// The trend of --tag, else of the point of the most urgent open alarm, else of the first point.
const tag = opt.tag ?? (want.includes('trend')
  ? await page.evaluate(async () => {
    const a = await (await fetch('/api/v1/alarms?active=true&limit=1')).json()
    if (a[0]?.point) return `${a[0].point}?enterprise_id=${a[0].enterprise}`
    const p = await (await fetch('/api/v1/points?limit=1')).json()
    return p.items[0] ? `${p.items[0].tag}?enterprise_id=${p.items[0].enterprise_id}` : 'none'
  })
  : '')
// The first QRA study (the demo's chlorine store or LPG spheres).
const study = want.includes('study')
  ? await page.evaluate(async () => (await (await fetch('/api/v1/qra/studies')).json()).items?.[0]?.id ?? 'none')
  : ''
const routes = {
  overview: '/', alarms: '/alarms?active=true', points: '/points', trend: '/points/' + tag,
  installation: '/installations/' + inst, print: '/installations/' + inst, kpis: '/kpis' + (opt.kpis ?? ''), gb18218: '/gb18218', registry: '/registry/installations', ledger: '/registry/ledger', permits: '/permits', prevention: '/prevention', dangers: '/prevention/dangers', tasks: '/prevention/tasks', register: '/prevention/register',
  qra: '/qra', study: '/qra/' + study,
}
let failed = false
for (const p of want) {
  const t = Date.now()
  // Print: the A4 content box (210 − 2 × 10 mm margins at 96 dpi) as the viewport.
  await page.emulateMedia({ media: p === 'print' ? 'print' : 'screen' })
  await page.setViewportSize(p === 'print' ? { width: 718, height: 1047 } : { width, height })
  await page.goto(opt.url + routes[p])
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForTimeout(Number(opt.wait))
  const file = `${opt.out}/${p}-${opt.lang}${opt.label ? '-' + opt.label : ''}-${opt.size}.png`
  await page.screenshot({ path: file, fullPage: opt.full === '1' || p === 'print' })
  console.log(file, `${Date.now() - t} ms`)
  if (p === 'print') {
    const pdf = await page.pdf({ path: `${opt.out}/console-${opt.lang}-installation.pdf`, format: 'A4', printBackground: true, preferCSSPageSize: true })
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
    console.log(`${opt.out}/console-${opt.lang}-installation.pdf: ${pages} A4 page(s)`)
    if (pages !== 1) { console.error('the installation report should print on one A4 page'); failed = true }
  }
}
console.log(`login → overview painted: ${paintMs} ms`)
await browser.close()
if (errors.length) {
  console.error('console errors:\n' + errors.join('\n'))
  process.exit(1)
}
if (failed) process.exit(1)
