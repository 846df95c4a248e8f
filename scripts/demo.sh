#!/usr/bin/env bash
# Build weihua and run the demo park: a fictional chemical park with users for
# every role, served with the console at http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
# The web console (npm, at build time only) is embedded in the binary.
bash scripts/build-console.sh
cargo run --release --locked -p weihua -- demo --data-dir "${WEIHUA_DATA_DIR:-./demo-data}" --listen "${WEIHUA_LISTEN:-127.0.0.1:8080}"
