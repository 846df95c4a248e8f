// The registry flow end to end, as an enterprise administrator of the demo:
//   1. the registry lists only its own enterprise (table and API), and offers
//      no "new enterprise" (a park office or regulator registers enterprises);
//   2. creates an API token: the secret is shown once (copy button, warning),
//      works for ingest, is gone from the page when the dialog closes; then
//      revokes it (confirmed), the list says so, and the server refuses it;
//   3. imports a small points CSV with one bad row: the row-error report shows
//      row, column and reason (Chinese, then English after the language
//      switch), and nothing was written; the corrected file passes the dry
//      run (2 points would be created) and still nothing is written;
//   4. exports the ledger: an .xlsx download;
//   5. an operator of the same enterprise is not offered users or tokens, and
//      the tokens page opened directly says it is not for that role.
// Fails (exit 1) on a failed check or on any console error, except the 422
// answer of the import with the bad row (that is how the server reports it).
//   node e2e/registry-flow.mjs --url http://127.0.0.1:18111 --creds /tmp/reg-demo/demo-credentials.json
// Other scripts can `import { run } from './registry-flow.mjs'` and call
// `run(browser, opt)`; it resolves to { failures, errors } and closes nothing.
import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export const DEFAULTS = {
  url: 'http://127.0.0.1:18111', creds: '/tmp/reg-demo/demo-credentials.json', admin: 'e1.admin', operator: 'e1.operator',
}

export async function run(browser, opt = {}) {
  opt = { ...DEFAULTS, ...opt }
  const users = JSON.parse(readFileSync(opt.creds, 'utf8')).users
  const pw = (u) => {
    const x = users.find((y) => y.username === u)
    if (!x) throw new Error(`no user ${u} in ${opt.creds}`)
    return x.password
  }
  const errors = []
  let failures = 0
  const check = (cond, what) => {
    if (cond) console.log('ok: ' + what)
    else { failures++; console.error('FAILED: ' + what) }
    return !!cond
  }
  /** The import's 422 (the row-error report) is the server's answer, not a fault of the page. */
  const expected = (m) => m.type() === 'error' && /status of 422/.test(m.text()) && (m.location()?.url ?? '').includes('/api/v1/ledger/import')
  const contexts = []
  async function signIn(user) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true })
    contexts.push(ctx)
    await ctx.addInitScript(() => { if (!localStorage.getItem('weihua.lang')) localStorage.setItem('weihua.lang', 'zh') })
    const page = await ctx.newPage()
    page.on('console', (m) => {
      if (m.type() !== 'error') return
      if (expected(m)) console.log(`(expected: ${m.text()})`)
      else errors.push(`${user}: ${m.text()} (${m.location()?.url ?? ''})`)
    })
    page.on('pageerror', (e) => errors.push(`${user}: ${e}`))
    await page.goto(opt.url + '/login')
    await page.fill('#login-user', user)
    await page.fill('#login-password', pw(user))
    await page.click('button[type=submit]')
    await page.waitForSelector('[data-testid=site-plan], .empty', { timeout: 15000 })
    return page
  }
  const api = (page, path) => page.evaluate(async (p) => {
    const r = await fetch(p, { headers: { Accept: 'application/json' } })
    return { status: r.status, body: r.ok ? await r.json() : null }
  }, path)
  const rowsOf = (page, testid) => page.$$eval(`[data-testid=${testid}] .el-table__body-wrapper tbody tr`, (trs) => trs.map((tr) => tr.innerText))

  try {
    // ---------------------------------------------------------------- 1. own enterprise only
    const admin = await signIn(opt.admin)
    const ents = await api(admin, '/api/v1/enterprises?limit=1000')
    const own = ents.body?.items?.[0]
    check(ents.status === 200 && ents.body.items.length === 1, `the API lists one enterprise to ${opt.admin} (${own?.name})`)
    await admin.click('[data-testid=nav-registry]')
    await admin.waitForURL(/\/registry\/enterprises$/)
    await admin.waitForFunction(() => document.querySelectorAll('[data-testid=ent-table] .el-table__body-wrapper tbody tr').length > 0)
    const entRows = await rowsOf(admin, 'ent-table')
    check(entRows.length === 1 && entRows[0].includes(own.name) && entRows[0].includes(own.credit_code),
      `the enterprise table shows only ${own.name} (${entRows.length} row)`)
    check((await admin.textContent('[data-testid=registry-scope]')).includes(own.name), 'the page names the data scope: the own enterprise')
    check(!(await admin.$('[data-testid=ent-create]')), 'no "new enterprise" for an enterprise administrator')
    const tabs = await admin.$$eval('[data-testid=registry-tabs] a', (as) => as.map((a) => a.dataset.testid))
    check(['tab-enterprises', 'tab-installations', 'tab-equipment', 'tab-points', 'tab-users', 'tab-tokens', 'tab-ledger'].every((t) => tabs.includes(t)),
      `all seven sections offered to the enterprise administrator (${tabs.join(', ')})`)
    await admin.click('[data-testid=tab-installations]')
    await admin.waitForFunction(() => document.querySelectorAll('[data-testid=inst-table] .el-table__body-wrapper tbody tr').length > 0)
    const insts = await api(admin, '/api/v1/installations?limit=1000')
    check((await rowsOf(admin, 'inst-table')).length === insts.body.items.length && insts.body.items.every((i) => i.enterprise_id === own.id),
      `installations: ${insts.body.items.length}, all of the own enterprise`)

    // ---------------------------------------------------------------- 2. API token: create, secret once, revoke
    await admin.click('[data-testid=tab-tokens]')
    await admin.waitForSelector('[data-testid=token-table]')
    const name = `e2e 网关 ${Date.now()}`
    await admin.click('[data-testid=token-create]')
    await admin.waitForSelector('#token-name')
    await admin.click('[data-testid=token-save]')
    check(await admin.isVisible('[data-testid=token-dialog] .el-form-item.is-error #token-name'), 'a token needs a name (the form says so before sending)')
    await admin.fill('#token-name', name)
    await admin.click('[data-testid=token-save]')
    await admin.waitForSelector('[data-testid=token-secret-dialog] input', { state: 'visible' })
    const secret = await admin.inputValue('[data-testid=token-secret-dialog] input')
    check(/^whk_\S{20,}$/.test(secret), `the secret is shown (${secret.slice(0, 8)}…)`)
    const warn = await admin.textContent('[data-testid=token-secret-dialog]')
    check(warn.includes('仅显示这一次') && warn.includes('无法再次查看'), 'with the warning that it is shown only once')
    await admin.click('[data-testid=token-copy]')
    await admin.waitForSelector('[data-testid=token-secret-dialog] .copy-state span')
    check(true, `copy: ${(await admin.textContent('[data-testid=token-secret-dialog] .copy-state')).trim()}`)
    await admin.keyboard.press('Escape')
    check(await admin.isVisible('[data-testid=token-secret-dialog] input'), 'Escape does not close the secret dialog')
    const ingest = (tok) => fetch(opt.url + '/api/v2/write', { method: 'POST', headers: { Authorization: `Bearer ${tok}` }, body: '' }).then((r) => r.status)
    check((await ingest(secret)) === 204, 'the new token is accepted by the ingest endpoint')
    await admin.click('[data-testid=token-secret-done]')
    await admin.waitForSelector('[data-testid=token-secret-dialog] input', { state: 'hidden' })
    check(!(await admin.content()).includes(secret), 'the secret is gone from the page once the dialog is closed')
    const row = admin.locator('[data-testid=token-table] .el-table__body-wrapper tbody tr', { hasText: name })
    await row.waitFor()
    check((await row.innerText()).includes('有效'), 'the new token is listed as active')
    await row.locator('button[data-act=revoke]').click()
    await admin.waitForSelector('.token-revoke-box')
    check((await admin.textContent('.token-revoke-box')).includes(name), 'revoking asks for confirmation, naming the token')
    await admin.click('.token-revoke-box .el-button--danger')
    await admin.waitForSelector('.el-message--success')
    await row.waitFor({ state: 'detached' })
    check(true, 'revoked: it leaves the list of active tokens')
    await admin.click('[data-testid=token-show-revoked]')
    const revokedRow = admin.locator('[data-testid=token-table] .el-table__body-wrapper tbody tr', { hasText: name })
    await revokedRow.waitFor()
    check((await revokedRow.innerText()).includes('已吊销'), 'and shows as revoked among all tokens')
    check((await ingest(secret)) === 401, 'the server refuses the revoked token (HTTP 401)')

    // ---------------------------------------------------------------- 3. ledger import with one bad row
    const inst = insts.body.items[0]
    const tag = `E2E-${Date.now().toString(36).toUpperCase()}`
    const header = '企业统一社会信用代码,重大危险源编码,位号,点位名称,监测指标,单位,量程下限,量程上限,低低报,低报,高报,高高报'
    const good1 = `${own.credit_code},${inst.code},${tag}-1,端到端测试液位,level,m,0,20,1,2,16,18`
    const bad2 = `${own.credit_code},${inst.code},${tag}-2,端到端测试温度,temperature,MPa,-20,80,,,60,70`
    const good2 = `${own.credit_code},${inst.code},${tag}-2,端到端测试温度,temperature,°C,-20,80,,,60,70`
    const csv = (lines) => Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8')
    await admin.click('[data-testid=tab-ledger]')
    await admin.setInputFiles('[data-testid=ledger-file]', { name: '监测点位.csv', mimeType: 'text/csv', buffer: csv([header, good1, bad2]) })
    await admin.waitForSelector('[data-testid=ledger-kind]')
    check((await admin.textContent('[data-testid=ledger-kind]')).includes('监测点位') || (await admin.inputValue('#ledger-kind').catch(() => '')).includes('监测点位'),
      'the CSV sheet kind is taken from the file name (监测点位)')
    await admin.click('[data-testid=ledger-import]')
    await admin.waitForSelector('[data-testid=ledger-result][data-ok=false]')
    const failed = await admin.textContent('[data-testid=ledger-failed]')
    check(failed.includes('未导入任何数据') && failed.includes('1 处错误'), `the import is refused as a whole: ${failed.trim().split('。')[0]}`)
    const errRows = await rowsOf(admin, 'ledger-errors')
    const cells = async () => ({
      row: await admin.textContent('[data-testid=ledger-error-row]'),
      col: await admin.textContent('[data-testid=ledger-error-column]'),
      reason: await admin.textContent('[data-testid=ledger-error-reason]'),
    })
    const zh = await cells()
    check(errRows.length === 1 && zh.row.trim() === '3' && zh.col.trim() === '单位' && zh.reason.includes('MPa'),
      `the report names row ${zh.row.trim()}, column ${zh.col.trim()}: ${zh.reason.trim()}`)
    const written = async () => (await api(admin, `/api/v1/points?q=${encodeURIComponent(tag)}`)).body.total
    check((await written()) === 0, 'the good row was not written either (all or nothing)')
    await admin.selectOption('header select', 'en')
    await admin.waitForFunction(() => document.querySelector('[data-testid=ledger-error-column]')?.textContent?.trim() === 'Engineering unit')
    const en = await cells()
    check(en.row.trim() === '3' && en.reason.includes('MPa') && !/[\u4e00-\u9fff]/.test(en.reason),
      `in English: row ${en.row.trim()}, ${en.col.trim()}: ${en.reason.trim()}`)
    await admin.selectOption('header select', 'zh')
    await admin.setInputFiles('[data-testid=ledger-file]', { name: '监测点位.csv', mimeType: 'text/csv', buffer: csv([header, good1, good2]) })
    await admin.click('[data-testid=ledger-check]')
    await admin.waitForSelector('[data-testid=ledger-result][data-ok=true][data-mode=check]')
    const created = await rowsOf(admin, 'ledger-created')
    const pointsLine = created.find((r) => r.includes('监测点位')) ?? ''
    check(/\b2\b/.test(pointsLine), `the corrected file passes the dry run: ${pointsLine.replace(/\s+/g, ' ').trim()}`)
    check((await written()) === 0, 'the dry run wrote nothing')

    // ---------------------------------------------------------------- 4. export
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.click('[data-testid=ledger-export]')])
    const file = await download.path()
    const bytes = readFileSync(file)
    check(/\.xlsx$/.test(download.suggestedFilename()) && bytes.length > 2000 && bytes.subarray(0, 2).toString() === 'PK',
      `the ledger is exported: ${download.suggestedFilename()} (${bytes.length} bytes, an .xlsx zip)`)

    // ---------------------------------------------------------------- 5. an operator's registry
    const op = await signIn(opt.operator)
    await op.goto(opt.url + '/registry')
    await op.waitForSelector('[data-testid=ent-table]')
    const opTabs = await op.$$eval('[data-testid=registry-tabs] a', (as) => as.map((a) => a.dataset.testid))
    check(!opTabs.includes('tab-users') && !opTabs.includes('tab-tokens') && opTabs.includes('tab-ledger'),
      `an operator is offered neither users nor tokens (${opTabs.join(', ')})`)
    await op.goto(opt.url + '/registry/tokens')
    await op.waitForSelector('[data-testid=registry-no-access]')
    check(!(await op.$('[data-testid=token-table]')), 'the tokens page opened directly says it is not for this role')
    await op.click('[data-testid=tab-ledger]')
    await op.waitForSelector('[data-testid=ledger-export]')
    check(!(await op.$('[data-testid=ledger-file]')), 'an operator may export the ledger but is not offered the import')
  } catch (e) {
    failures++
    console.error('FAILED: ' + (e?.stack ?? e))
  } finally {
    for (const c of contexts) await c.close().catch(() => {})
  }
  return { failures, errors }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const opt = { ...DEFAULTS }
  for (let i = 0; i < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1]
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  let out
  try { out = await run(browser, opt) } finally { await browser.close() }
  if (out.errors.length) console.error('console errors:\n' + out.errors.join('\n'))
  const bad = out.failures > 0 || out.errors.length > 0
  console.log(bad ? `registry flow: ${out.failures} check(s) failed, ${out.errors.length} console error(s)` : 'registry flow: all checks passed')
  process.exitCode = bad ? 1 : 0
}
