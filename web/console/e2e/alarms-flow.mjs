// The alarm flow end to end, in two browsers: an operator shelves (the
// reason is required), unshelves and acknowledges an alarm on the alarm page,
// while the park's overview, left open, follows the change on the event
// stream (no reload). Needs an open alarm at the operator's enterprise (the
// demo's first leak, 45 s after launch).
//   node e2e/alarms-flow.mjs --url http://127.0.0.1:18095 --creds /tmp/web-demo/demo-credentials.json
import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const opt = { url: 'http://127.0.0.1:18095', creds: '/tmp/web-demo/demo-credentials.json', operator: 'e1.operator', park: 'park' }
for (let i = 0; i < args.length; i += 2) opt[args[i].slice(2)] = args[i + 1]
const users = JSON.parse(readFileSync(opt.creds, 'utf8')).users
const pw = (u) => users.find((x) => x.username === u).password
const errors = []
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
async function signIn(user) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
  const page = await ctx.newPage()
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${user}: ${m.text()}`) })
  page.on('pageerror', (e) => errors.push(`${user}: ${e}`))
  await page.goto(opt.url + '/login')
  await page.fill('#login-user', user)
  await page.fill('#login-password', pw(user))
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=site-plan], .empty')
  return page
}
const check = (cond, what) => { if (!cond) { console.error('FAILED: ' + what); process.exitCode = 1 } else console.log('ok: ' + what) }

const park = await signIn(opt.park)
const unacked = async () => Number((await park.textContent('[data-testid=fig-unacked] b')).trim())
await park.waitForFunction(() => document.querySelector('[data-testid=fig-unacked] b')?.textContent?.trim() !== '–')
const before = await unacked()
check(before > 0, `park overview shows unacknowledged alarms (${before})`)

const op = await signIn(opt.operator)
await op.goto(opt.url + '/alarms')
await op.waitForSelector('[data-testid=alarm-table] button[data-act=shelve]')
// Shelve: the reason is required, then the alarm is shelved.
await op.click('[data-testid=alarm-table] button[data-act=shelve] >> nth=0')
await op.waitForSelector('#shelve-reason')
await op.click('.el-dialog__footer .el-button--primary')
check((await op.textContent('.el-dialog .derr')).includes('请填写原因'), 'shelving without a reason is refused in the dialog')
await op.fill('#shelve-reason', '端到端测试：检修中')
await op.click('.el-dialog__footer .el-button--primary')
await op.waitForSelector('.el-message--success')
check(true, 'shelved')
await op.waitForSelector('[data-testid=alarm-table] button[data-act=unshelve]')
await op.click('[data-testid=alarm-table] button[data-act=unshelve] >> nth=0')
await op.waitForSelector('[data-testid=alarm-table] button[data-act=ack]')
// Acknowledge; the overview left open follows on the stream: the
// acknowledgement appears in its live feed, and its unacknowledged count
// agrees with the server's (the leak may still be raising new alarms, so the
// count is compared with the server, not with the count before).
const t = Date.now()
const acks = () => park.$$eval('[data-testid=ticker] li.ev-acked', (l) => l.length)
const acksBefore = await acks()
await op.click('[data-testid=alarm-table] button[data-act=ack] >> nth=0')
await park.waitForFunction((n) => document.querySelectorAll('[data-testid=ticker] li.ev-acked').length > n, acksBefore, { timeout: 10000 }).then(
  () => check(true, `the overview's live feed shows the acknowledgement in ${Date.now() - t} ms (no reload)`),
  () => check(false, 'the overview\'s live feed shows the acknowledgement'))
const serverUnacked = () => park.evaluate(async () => {
  const n = async (s) => Number((await fetch(`/api/v1/alarms?active=true&limit=1&state=${s}`)).headers.get('X-Total-Count'))
  return (await n('unacknowledged')) + (await n('latched_unacknowledged')) + (await n('rtn_unacknowledged'))
})
let agreed = false
for (let i = 0; i < 20 && !agreed; i++) {
  const shown = Number((await park.textContent('[data-testid=fig-unacked] b')).trim())
  agreed = shown === await serverUnacked()
  if (!agreed) await park.waitForTimeout(500)
}
check(agreed, 'the overview\'s unacknowledged count agrees with the server after the acknowledgement')
const ticker = await park.textContent('[data-testid=ticker]')
check(ticker.includes('确认') && ticker.includes('搁置'), 'the live feed shows the acknowledgement and the shelving')
await browser.close()
if (errors.length) { console.error('console errors:\n' + errors.join('\n')); process.exitCode = 1 }
