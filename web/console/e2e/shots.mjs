// Screenshots of the console, signed in through its own login form, in
// headless Chromium (Debian's /usr/bin/chromium driven by playwright-core: no
// browser download). Fails when a page logs a console error.
//
//   node e2e/shots.mjs --url http://127.0.0.1:18095 --creds /tmp/web-demo/demo-credentials.json \
//        --user park --out /tmp/shots [--lang en] [--size 1366x768] [page ...]
// Pages: overview alarms points trend (default: all). Prints one line per page
// with the first-paint time of the overview.
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
const want = pages.length ? pages : ['overview', 'alarms', 'points', 'trend']
const routes = { overview: '/', alarms: '/alarms?active=true', points: '/points', trend: '/points/' + (opt.tag ?? 'AT-1101') }
for (const p of want) {
  const t = Date.now()
  await page.goto(opt.url + routes[p])
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForTimeout(Number(opt.wait))
  const file = `${opt.out}/console-${opt.lang}-${p}-${opt.size}.png`
  await page.screenshot({ path: file })
  console.log(file, `${Date.now() - t} ms`)
}
console.log(`login → overview painted: ${paintMs} ms`)
await browser.close()
if (errors.length) {
  console.error('console errors:\n' + errors.join('\n'))
  process.exit(1)
}
