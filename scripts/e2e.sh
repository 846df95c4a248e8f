#!/usr/bin/env bash
# End-to-end tests of the web console in real headless Chromium (Debian's
# chromium driven by playwright-core), against a fresh `weihua demo` whose
# first gas leak comes a few seconds after start at e1's plant.
#
#   bash scripts/e2e.sh                     # all flows, screenshots, first paint
#   bash scripts/e2e.sh --update-screenshots  # …and copy the README's screenshots into web/console/screenshots/
#
# Installs Chromium and a CJK font with apt when they are missing (root or
# password-less sudo), builds the console and the weihua binary (debug, the
# one `cargo test` built; WEIHUA_E2E_PROFILE=release for the release one).
# Results: $WEIHUA_E2E_OUT (default target/e2e): screenshots, the demo's log,
# paint.txt with the first-paint figures.
set -euo pipefail
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update-screenshots" ] && update=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif sudo -n true 2>/dev/null; then sudo -n "$@"; else return 1; fi; }
need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "e2e: installing ${need[*]} (Debian packages)" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2 \
    || { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2; } \
    || { echo "e2e: cannot install ${need[*]}: run as root or with sudo, or install them by hand" >&2; exit 1; }
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

bash scripts/build-console.sh >&2
profile="${WEIHUA_E2E_PROFILE:-debug}"
if [ "$profile" = release ]; then cargo build --release --locked -p weihua >&2; else cargo build --locked -p weihua >&2; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/weihua"
out="${WEIHUA_E2E_OUT:-${CARGO_TARGET_DIR:-target}/e2e}"
rm -rf "$out" && mkdir -p "$out/shots"
out="$(cd "$out" && pwd)"
data="$(mktemp -d)"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

# The first leak 5 s after start, at e1 (the demo's default place for it);
# it passes alarm 2 on the source and on its neighbours, so two gas alarm-2
# make the installation red by the risk model's floor rule; it holds for
# half an hour; the next comes in a day on average. Other random episodes
# stay off so the run is repeatable.
export WEIHUA_DEMO_SCENARIO='{"leak_first_after_s":5,"leak_alarm2_probability":1.0,"leak_rise_s":{"min":5,"max":10},
 "leak_hold_s":{"min":1800,"max":1800},"leak_neighbour_factor":{"min":1.0,"max":1.0},"leak_neighbour_delay_s":{"min":1,"max":3},
 "leak_max_neighbours":4,"leak_mean_interval_s":86400,"overfill_mean_interval_s":null,"fault_mean_interval_s":null,
 "gateway_silence_mean_interval_s":null}'
RUST_LOG="${RUST_LOG:-info}" "$bin" demo --data-dir "$data/demo" --listen 127.0.0.1:0 >"$out/demo.log" 2>&1 &
pid=$!
url=
for _ in $(seq 1 600); do
  url="$(grep -o 'listening: http://[^ ]*' "$out/demo.log" | head -1 | sed 's/listening: //; s#/$##')" || true
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$out/demo.log" >&2; echo "e2e: the demo exited" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { tail -20 "$out/demo.log" >&2; echo "e2e: the demo did not start in 120 s" >&2; exit 1; }
creds="$data/demo/demo-credentials.json"
echo "e2e: demo at $url ($profile build)" >&2

cd web/console
status=0
run() { echo "── e2e: $*" >&2; node "$@" || { echo "e2e: $1 FAILED" >&2; status=1; }; }
# First paint before anything else loads the machine (cold browser cache).
run e2e/paint.mjs --url "$url" --creds "$creds" --user park --budget 1500 --out "$out/paint.txt"
run e2e/ci.mjs --url "$url" --creds "$creds"
run e2e/alarms-flow.mjs --url "$url" --creds "$creds"
run e2e/pages-flow.mjs --url "$url" --creds "$creds" --inject 1
run e2e/registry-flow.mjs --url "$url" --creds "$creds"
run e2e/permits-flow.mjs --url "$url" --creds "$creds"
run e2e/prevention-flow.mjs --url "$url" --creds "$creds"
run e2e/qra-flow.mjs --url "$url" --creds "$creds"
# Screenshots of the main pages (zh for the park office, en for an
# enterprise; a 4K wall), taken while the leak is still on.
run e2e/shots.mjs --url "$url" --creds "$creds" --user park --out "$out/shots" --lang zh
run e2e/shots.mjs --url "$url" --creds "$creds" --user park --out "$out/shots" --lang zh --size 3840x2160 overview
run e2e/shots.mjs --url "$url" --creds "$creds" --user e1.safety --label enterprise --out "$out/shots" --lang en overview alarms trend installation
run e2e/shots.mjs --url "$url" --creds "$creds" --user city --label region --out "$out/shots" --lang zh overview
run e2e/shots.mjs --url "$url" --creds "$creds" --user e1.operator --label phone --size 390x844 --out "$out/shots" --lang zh tasks
cd ../..
if [ "$update" = 1 ] && [ "$status" = 0 ]; then
  mkdir -p web/console/screenshots
  rm -f web/console/screenshots/*.png
  # The ones the README shows.
  for f in overview-zh-1366x768 overview-zh-region-1366x768 overview-zh-3840x2160 overview-en-enterprise-1366x768 \
           alarms-zh-1366x768 trend-en-enterprise-1366x768 installation-zh-1366x768 kpis-zh-1366x768 \
           gb18218-zh-1366x768 registry-zh-1366x768 ledger-zh-1366x768 permits-zh-1366x768 prevention-zh-1366x768 dangers-zh-1366x768 tasks-zh-phone-390x844 \
           qra-zh-1366x768 study-zh-1366x768; do
    cp "$out/shots/$f.png" web/console/screenshots/
  done
  echo "e2e: screenshots copied into web/console/screenshots/" >&2
fi
[ "$status" = 0 ] && echo "e2e: passed (screenshots and figures in $out)" >&2
exit "$status"
