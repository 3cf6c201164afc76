#!/usr/bin/env bash
# Load benchmark of the HTTP API (not a test; ./test.sh does not run it). Starts the daemon on the demo (default
# size: 20,000 contacts, a 90-day first-run backfill) with its own temp store on a free loopback port, drives it with
# wrk (32 connections, 30 s per endpoint) and prints requests/s, p50, p99 and errors for /api/kpis/latest,
# /api/kpis/weekly_active_ratio/series?from=now-90d&step=1d and /metrics: once idle, once while KPI passes run back
# to back (KpiCron every second), with the daemon's RSS before and after each phase and the machine's load.
#
#   tests/CrmPulse.Benchmarks/load.sh [--no-build]      DURATION=30s CONNECTIONS=32 THREADS=2 to change the load
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
SERIES_KPI=weekly_active_ratio

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || { $SUDO apt-get update -qq >/dev/null 2>&1; $SUDO apt-get install -y -qq wrk >/dev/null; }
fi
if [ "${1:-}" != "--no-build" ]; then
  dotnet build src/CrmPulse -c Release -nologo -v q >/dev/null
fi
dll=src/CrmPulse/bin/Release/net10.0/crmpulse.dll
work=$(mktemp -d /tmp/crmpulse-load-XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
pid=""

stop_daemon() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
trap 'stop_daemon; rm -rf "$work"' EXIT

# $1: the KPI schedule setting (KPIEVERY or KPICRON), $2 its value.
start_daemon() {
  env CRMPULSE__STORE__PATH="$work/crmpulse.db" \
      CRMPULSE__SOURCES__0__NAME=demo CRMPULSE__SOURCES__0__KIND=Demo \
      CRMPULSE__SOURCES__0__BACKFILLDAYS=90 CRMPULSE__SOURCES__0__SYNCEVERY=01:00:00 \
      "CRMPULSE__SOURCES__0__$1=$2" \
      dotnet "$dll" --urls "$base" >>"$work/daemon.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -sf "$base/api/kpis/latest?source=demo" 2>/dev/null | grep -q '"kpi"'; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "The daemon exited:"; tail -20 "$work/daemon.log"; exit 1; }
    sleep 0.5
  done
  echo "The daemon did not serve a KPI pass within 300 s"; tail -20 "$work/daemon.log"; exit 1
}

rss_mb() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$pid/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
passes() { grep -c "KPI samples and" "$work/daemon.log" || true; }

# One wrk run: endpoint, requests/s, p50, p99, errors (socket errors and non-2xx answers).
drive() {
  local name=$1 path=$2 out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$base$path")
  local rps p50 p99 errors non2xx bytes
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
  bytes=$(curl -s -o /dev/null -w '%{size_download}' "$base$path")
  printf "  %-58s %8s req/s   p50 %9s   p99 %9s   errors %s   (%s bytes)\n" \
    "$name" "$rps" "$p50" "$p99" "$(( ${errors:-0} + ${non2xx:-0} ))" "$bytes"
}

phase() {
  local title=$1
  echo "$title: load average $(load), daemon RSS before $(rss_mb), KPI passes so far $(passes)"
  drive "/api/kpis/latest" "/api/kpis/latest"
  drive "/api/kpis/$SERIES_KPI/series?from=now-90d&step=1d" "/api/kpis/$SERIES_KPI/series?from=now-90d&step=1d"
  drive "/metrics" "/metrics"
  echo "  daemon RSS after $(rss_mb), KPI passes so far $(passes), load average $(load)"
}

echo "CrmPulse load benchmark: $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, demo source, store in $work"

# Idle: one pass after the first sync (and the 90-day backfill), then nothing scheduled for an hour.
start_daemon KPIEVERY 01:00:00
for _ in $(seq 1 600); do grep -q "Backfill of demo complete" "$work/daemon.log" && break; sleep 0.5; done
grep -q "Backfill of demo complete" "$work/daemon.log" || { echo "The backfill did not complete within 300 s"; exit 1; }
phase "Idle"
stop_daemon

# During passes: the same store, a KPI pass every second (each takes about a second on the demo: back to back).
# Measured once the first pass of this start is stored, so that passes run all along.
before=$(passes)
start_daemon KPICRON "* * * * * ?"
for _ in $(seq 1 600); do [ "$(passes)" -gt "$before" ] && break; sleep 0.5; done
phase "While KPI passes run back to back"
stop_daemon
