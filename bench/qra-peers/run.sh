#!/usr/bin/env bash
# Runs the weihua-qra peer benchmark: the Python peers (peers.py, in the benchmark venv made by
# setup.sh) and weihua-qra (crates/qra/examples/peer_bench.rs, release build) on the same
# pinned scenarios (scenarios.json), then prints the side-by-side table (compare.py).
#
#   bash bench/qra-peers/setup.sh     # once
#   bash bench/qra-peers/run.sh       # QUICK=1 for fewer peer repetitions
#
# Environment: WEIHUA_BENCH_VENV (default /tmp/weihua-bench-venv), CARGO_TARGET_DIR (as cargo),
# QUICK=1 (peers.py --quick), SKIP_PEERS=1 (reuse out/peers.json).
# Outputs under bench/qra-peers/out/: peers.json, weihua.json, table.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${WEIHUA_BENCH_VENV:-/tmp/weihua-bench-venv}"
OUT="$HERE/out"
mkdir -p "$OUT"

if [ -z "${SKIP_PEERS:-}" ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    echo "no benchmark venv at $VENV: run bash bench/qra-peers/setup.sh first" >&2
    exit 1
  fi
  args=()
  [ -n "${QUICK:-}" ] && args+=(--quick)
  echo "== peers (HyRAM, pyELDQM) ==" >&2
  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some machines for old OpenBLAS builds) slow
  # a current numpy: unset them for the peers' run only.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$VENV/bin/python" "$HERE/peers.py" --out "$OUT/peers.json" "${args[@]}"
fi

echo "== weihua-qra (cargo --release example peer_bench) ==" >&2
(cd "$ROOT" && cargo build --quiet --release -p weihua-qra --example peer_bench)
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
"$target_dir/release/examples/peer_bench" --peers "$OUT/peers.json" > "$OUT/weihua.json"

echo >&2
echo "machine: nproc $(nproc), $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/compare.py" "$OUT/peers.json" "$OUT/weihua.json" --md "$OUT/table.md"
