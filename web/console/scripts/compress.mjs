// Writes a gzip twin (name.gz) of every compressible file of dist/assets and
// prints the sizes. weihua sends the twin to clients that accept gzip, so a
// plant network carries a third of the bytes without compressing per request.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync, constants } from 'node:zlib'

const dir = new URL('../dist/assets/', import.meta.url).pathname
let raw = 0, gz = 0
const rows = []
for (const name of readdirSync(dir).sort()) {
  if (!/\.(js|css|svg|json)$/.test(name)) continue
  const data = readFileSync(join(dir, name))
  const z = gzipSync(data, { level: constants.Z_BEST_COMPRESSION })
  writeFileSync(join(dir, name + '.gz'), z)
  raw += data.length; gz += z.length
  rows.push([name, data.length, z.length])
}
const kb = n => (n / 1024).toFixed(1).padStart(8) + ' KiB'
for (const [n, r, z] of rows) console.log(`${kb(r)} ${kb(z)} gz  ${n}`)
console.log(`${kb(raw)} ${kb(gz)} gz  total (${rows.length} files)`)
