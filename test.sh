#!/usr/bin/env bash
# Runs every CrmPulse test on a fresh machine: installs the Debian packages the tests start for real
# (prometheus: promtool and the server; influxdb: influxd 1.x; docker-compose: `docker-compose config` of the stack,
# which needs no Docker engine; chromium: the console's browser tests and the PDF report; poppler-utils: pdftotext and
# pdftoppm to read the PDF; python3-aiosmtpd: a real SMTP server for report delivery; postgresql: initdb and pg_ctl for the
# PostgreSQL store and the cluster tests) when they are missing, builds the solution once, runs all test projects,
# and prints the totals over all projects as the last line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

need_pkgs=()
command -v promtool >/dev/null 2>&1 || need_pkgs+=(prometheus)
command -v influxd >/dev/null 2>&1 || need_pkgs+=(influxdb)
command -v docker-compose >/dev/null 2>&1 || need_pkgs+=(docker-compose)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_pkgs+=(poppler-utils)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need_pkgs+=(python3-aiosmtpd)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need_pkgs+=(postgresql)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Package scripts must never start daemons (Debian's defaults listen on all interfaces).
  if [ ! -x /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  fi
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || { echo "Could not install ${need_pkgs[*]}: the tests that need them will fail."; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! dotnet build CrmPulse.sln -c Release -nologo -v q 2>&1 | tee "$log" | grep -E "error|Warn|Error" ; then :; fi
if grep -qE "[1-9][0-9]* Error\(s\)|error [A-Z]+[0-9]+" "$log"; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test CrmPulse.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-project summaries ("Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ...").
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
    n++
  }
  END { printf "%d %d %d %d\n", p, f, s, n }' "$log")

expected=$(ls -d tests/*.Tests | wc -l)
if [ "$projects" -lt "$expected" ] && [ "$failed" -eq 0 ]; then
  echo "Only $projects of $expected test projects reported results."
  failed=$((failed + expected - projects))
  [ "$status" -eq 0 ] && status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
