#!/usr/bin/env bash
# Start the services the test suite needs, installing them on a machine that
# lacks them, and print the PostgreSQL URL the tests should use.
# Used by scripts/test.sh (and so by .ci/run). Idempotent.
set -euo pipefail

log() { echo "[services] $*" >&2; }
# Debian puts the servers (pg_ctlcluster's helpers, mosquitto) in sbin.
export PATH="$PATH:/usr/sbin:/sbin"

pg_url_default="postgres://postgres@127.0.0.1:5432/postgres"
url="${WEIHUA_TEST_PG_URL:-$pg_url_default}"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "PostgreSQL is not installed; installing it from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "starting PostgreSQL $ver"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || true
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && break
    sleep 1
  done
fi

if ! psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then
  # A fresh Debian cluster refuses password-less TCP logins: give the
  # postgres role a password for the tests (local machine only).
  log "setting a local password for the postgres role"
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'weihua-test'\"" >&2 || true
  url="postgres://postgres:weihua-test@127.0.0.1:5432/postgres"
fi

# Mosquitto (MQTT broker) for the MQTT ingest test, and its clients.
if ! command -v mosquitto_pub >/dev/null 2>&1 || ! command -v mosquitto >/dev/null 2>&1; then
  log "Mosquitto is not installed; installing it from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq mosquitto mosquitto-clients >&2
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  log "starting Mosquitto"
  if [ -f /etc/mosquitto/mosquitto.conf ]; then
    mosquitto -d -c /etc/mosquitto/mosquitto.conf >&2 || mosquitto -d -p 1883 >&2 || true
  else
    mosquitto -d -p 1883 >&2 || true
  fi
  for _ in $(seq 1 20); do
    (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break
    sleep 0.5
  done
fi

if psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then
  log "PostgreSQL ready"
else
  log "PostgreSQL is NOT reachable; its half of the store suite will fail under CI"
fi
echo "$url"
