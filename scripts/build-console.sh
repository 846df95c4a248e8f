#!/usr/bin/env bash
# Build the web console (web/console, Vue 3 + Element Plus + ECharts) into
# web/console/dist, which the weihua binary embeds (crates/server/src/console.rs).
# Idempotent: `npm ci` runs only when node_modules does not match
# package-lock.json. Needs Node.js ≥ 20.19 and npm; the npm registry is used
# only here, at build time — the built console loads nothing from outside.
set -euo pipefail
cd "$(dirname "$0")/../web/console"
command -v npm >/dev/null || { echo "npm not found: install Node.js ≥ 20.19 (Debian: apt-get install nodejs npm)" >&2; exit 1; }
# npm writes node_modules/.package-lock.json on install; when it equals the
# lock file's content (as recorded after our last `npm ci`), skip the install.
stamp=node_modules/.weihua-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d node_modules/.bin ]; then
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
npm run build
