// Shared pieces of the end-to-end scripts: argument parsing, Debian's
// Chromium through playwright-core (no browser download), signing in through
// the console's own login form, checks that print ok/FAILED, and console
// errors collected per page (any one fails the run).
import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'

/** `--key value` pairs over `defaults`; bare words are returned in `rest`. */
export function parseArgs(defaults, argv = process.argv.slice(2)) {
  const opt = { ...defaults }
  const rest = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = argv[++i]
    else rest.push(argv[i])
  }
  return { opt, rest }
}

export function readCreds(file) {
  const creds = JSON.parse(readFileSync(file, 'utf8'))
  return {
    ...creds,
    password(user) {
      const u = creds.users.find((x) => x.username === user)
      if (!u) throw new Error(`no user ${user} in ${file}`)
      return u.password
    },
    scope(user) { return creds.users.find((x) => x.username === user)?.scope ?? '' },
  }
}

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
}

export const errors = []
let failures = 0

/** Records a check; a failed one makes the process exit 1 at the end. */
export function check(cond, what) {
  if (cond) console.log('ok: ' + what)
  else { failures++; console.error('FAILED: ' + what) }
  return !!cond
}

/** Console errors and uncaught exceptions of `page` fail the run. `allow` filters expected ones. */
export function watch(page, who, allow = () => false) {
  page.on('console', (m) => { if (m.type() === 'error' && !allow(m.text())) errors.push(`${who}: ${m.text()}`) })
  page.on('pageerror', (e) => errors.push(`${who}: ${e}`))
}

/** A new browser context signed in as `user` through the login form; resolves on the home page. */
export async function signIn(browser, opt, creds, user, { lang = 'zh', width = 1366, height = 768 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: lang === 'en' ? 'en-US' : 'zh-CN' })
  await ctx.addInitScript((l) => localStorage.setItem('weihua.lang', l), lang)
  const page = await ctx.newPage()
  watch(page, user)
  await page.goto(opt.url + '/login')
  await page.fill('#login-user', user)
  await page.fill('#login-password', creds.password(user))
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=site-plan], .empty', { timeout: 15000 })
  return page
}

/** GET a JSON API path with the page's session cookie (outside the page, so
 *  an expected 4xx is not logged as a console error). */
export async function api(page, path) {
  const r = await page.context().request.get(new URL(page.url()).origin + path)
  const text = await r.text()
  let body = text
  try { body = JSON.parse(text) } catch { /* not JSON */ }
  return { status: r.status(), total: r.headers()['x-total-count'] ?? null, body }
}

/** Exit code for the run: 1 when a check failed or a page logged an error. */
export function finish() {
  if (errors.length) console.error('console errors:\n' + errors.join('\n'))
  const bad = failures > 0 || errors.length > 0
  console.log(bad ? `e2e: ${failures} check(s) failed, ${errors.length} console error(s)` : 'e2e: all checks passed')
  return bad ? 1 : 0
}
