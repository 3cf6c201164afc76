#!/usr/bin/env bash
# A CrmPulse cluster on this machine without Docker: Debian's PostgreSQL (initdb and pg_ctl in a folder of its own, on
# 127.0.0.1) and three CrmPulse nodes (node1, node2, node3) clustered on it, on three Demo sources.
#
#   samples/cluster/local-cluster.sh start [--dir DIR] [--pg-port PORT] [--base-port PORT] [--bin DIR] [--checkin HH:MM:SS]
#   samples/cluster/local-cluster.sh status [--dir DIR]
#   samples/cluster/local-cluster.sh kill NODE [--dir DIR]      # kill -9, as a crash: node1, node2 or node3
#   samples/cluster/local-cluster.sh stop [--dir DIR] [--purge] # SIGTERM to the nodes, then PostgreSQL; --purge deletes DIR
#
# DIR (default /tmp/crmpulse-cluster) holds everything: the database files (pg/), the connection string with its
# password (crmpulse-db, mode 600: made up at the first start, never committed, never on a command line), the published
# CrmPulse (app/, unless --bin names a folder holding crmpulse.dll) and each node's log, pid and port (node1/ ...).
# `start` starts what is not running (PostgreSQL, then each node): after `kill node2`, `start` brings node2 back.
# Ports: PostgreSQL on a free port unless --pg-port; the nodes on 5081, 5082, 5083 unless --base-port (0: free ports).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
command=${1:-}
[ $# -gt 0 ] && shift
dir=${CRMPULSE_CLUSTER_DIR:-/tmp/crmpulse-cluster}
pg_port=""
base_port=5081
bin=""
checkin=00:00:05
purge=false
node_arg=""
if [ "$command" = kill ] && [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then node_arg=$1; shift; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --pg-port) pg_port=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --checkin) checkin=$2; shift 2 ;;
    --purge) purge=true; shift ;;
    *) echo "local-cluster.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
nodes=(node1 node2 node3)
dir=$(realpath -m "$dir")
[ -z "$bin" ] || bin=$(realpath -m "$bin")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
pid_of() { cat "$1" 2>/dev/null || true; }
pg_pid() { head -1 "$dir/pg/data/postmaster.pid" 2>/dev/null || true; }

pg_bin() {
  local ctl
  ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$ctl" ]; then
    echo "Installing Debian's postgresql (initdb, pg_ctl) ..." >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    # Package scripts must never start daemons (Debian's default cluster would listen beyond this folder's).
    if [ ! -x /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d
    fi
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
  fi
  dirname "$ctl"
}

# initdb and pg_ctl refuse root: as root they run as 'postgres'.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_pg() {
  local pgbin; pgbin=$(pg_bin)
  mkdir -p "$dir/pg"
  if [ ! -f "$dir/pg/data/PG_VERSION" ]; then
    local password; password=$(openssl rand -hex 16)
    [ -n "$pg_port" ] || pg_port=$(free_port)
    echo "$pg_port" > "$dir/pg/port"
    (umask 077; printf '%s\n' "$password" > "$dir/pg/pw")
    (umask 077; printf 'Host=127.0.0.1;Port=%s;Database=crmpulse;Username=crmpulse;Password=%s\n' "$pg_port" "$password" > "$dir/crmpulse-db")
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir/pg"
    as_pg "$pgbin/initdb" -D "$dir/pg/data" -U crmpulse -E UTF8 --locale=C.UTF-8 --auth-local=trust \
      --auth-host=scram-sha-256 --pwfile="$dir/pg/pw" >"$dir/pg/initdb.log" 2>&1 \
      || { cat "$dir/pg/initdb.log" >&2; exit 1; }
    rm -f "$dir/pg/pw"
  fi
  pg_port=$(cat "$dir/pg/port")
  if ! alive "$(pg_pid)"; then
    (cd /tmp && as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg" start >/dev/null) \
      || { tail -20 "$dir/pg/server.log" >&2; exit 1; }
  fi
  # The database, once (the schema is CrmPulse's: the first node creates it).
  if ! as_pg "$pgbin/psql" -h "$dir/pg" -p "$pg_port" -U crmpulse -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'crmpulse'" | grep -q 1; then
    as_pg "$pgbin/psql" -h "$dir/pg" -p "$pg_port" -U crmpulse -d postgres -qc "CREATE DATABASE crmpulse" >/dev/null
  fi
}

app_dll() {
  if [ -n "$bin" ]; then echo "$bin/crmpulse.dll"; return; fi
  if [ ! -f "$dir/app/crmpulse.dll" ]; then
    echo "Publishing CrmPulse to $dir/app ..." >&2
    dotnet publish "$repo/src/CrmPulse" -c Release -o "$dir/app" -nologo -v q >&2
  fi
  echo "$dir/app/crmpulse.dll"
}

start_node() {
  local name=$1 index=$2 dll=$3 folder="$dir/$1" port
  mkdir -p "$folder"
  if alive "$(pid_of "$folder/pid")"; then return; fi
  if [ -f "$folder/port" ]; then port=$(cat "$folder/port")
  elif [ "$base_port" = 0 ]; then port=$(free_port)
  else port=$((base_port + index)); fi
  echo "$port" > "$folder/port"
  # The same configuration on every node, its own name; the connection string from the file, never the environment.
  (
    cd "$folder"
    unset ASPNETCORE_URLS ASPNETCORE_HTTP_PORTS DOTNET_URLS
    export CRMPULSE__STORE__PROVIDER=PostgreSql CRMPULSE__STORE__CONNECTIONSTRINGFILE="$dir/crmpulse-db"
    export CRMPULSE__CLUSTER__ENABLED=true CRMPULSE__CLUSTER__NODENAME="$name" CRMPULSE__CLUSTER__CHECKININTERVAL="$checkin"
    local i=0
    for source in demo-a demo-b demo-c; do
      export "CRMPULSE__SOURCES__${i}__NAME=$source" "CRMPULSE__SOURCES__${i}__KIND=Demo" "CRMPULSE__SOURCES__${i}__SEED=$((i + 1))"
      export "CRMPULSE__SOURCES__${i}__SYNCEVERY=00:00:20" "CRMPULSE__SOURCES__${i}__KPIEVERY=00:00:30"
      i=$((i + 1))
    done
    setsid dotnet "$dll" --urls "http://127.0.0.1:$port" >"$folder/out.log" 2>&1 < /dev/null &
    echo $! > "$folder/pid"
  )
}

wait_healthy() {
  local name=$1 port pid deadline=$((SECONDS + 180))
  port=$(cat "$dir/$name/port"); pid=$(pid_of "$dir/$name/pid")
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ! alive "$pid"; then echo "$name (pid $pid) exited; its log, $dir/$name/out.log:" >&2; tail -20 "$dir/$name/out.log" >&2; return 1; fi
    [ $SECONDS -lt $deadline ] || { echo "$name did not answer on port $port within 180 s; see $dir/$name/out.log" >&2; return 1; }
    sleep 0.5
  done
}

status() {
  local pid
  pid=$(pg_pid)
  if alive "$pid"; then echo "postgresql pid $pid 127.0.0.1:$(cat "$dir/pg/port") running (data $dir/pg/data)"
  else echo "postgresql stopped"; fi
  for name in "${nodes[@]}"; do
    [ -f "$dir/$name/port" ] || continue
    pid=$(pid_of "$dir/$name/pid")
    if alive "$pid"; then echo "$name pid $pid http://127.0.0.1:$(cat "$dir/$name/port") running"
    else echo "$name pid ${pid:-none} http://127.0.0.1:$(cat "$dir/$name/port") stopped (log: $dir/$name/out.log)"; fi
  done
}

case "$command" in
  start)
    mkdir -p "$dir"
    # As root the folder must let 'postgres' through to pg/ (its own); the connection string file stays mode 600.
    chmod 711 "$dir"
    start_pg
    dll=$(app_dll)
    i=0
    for name in "${nodes[@]}"; do start_node "$name" $i "$dll"; i=$((i + 1)); done
    for name in "${nodes[@]}"; do wait_healthy "$name"; done
    status
    first=$(cat "$dir/node1/port")
    echo "Members and each source's last sync and pass: curl http://127.0.0.1:$first/api/cluster ; curl http://127.0.0.1:$first/api/sources"
    ;;
  status)
    status
    ;;
  kill)
    case "$node_arg" in node1|node2|node3) ;; *) echo "local-cluster.sh kill: name a node: node1, node2 or node3" >&2; exit 2 ;; esac
    pid=$(pid_of "$dir/$node_arg/pid")
    alive "$pid" || { echo "$node_arg is not running" >&2; exit 1; }
    kill -9 "$pid"
    while alive "$pid"; do sleep 0.1; done
    echo "$node_arg (pid $pid) killed with SIGKILL"
    ;;
  stop)
    for name in "${nodes[@]}"; do
      pid=$(pid_of "$dir/$name/pid")
      if alive "$pid"; then kill -TERM "$pid"; fi
    done
    for name in "${nodes[@]}"; do
      pid=$(pid_of "$dir/$name/pid")
      deadline=$((SECONDS + 30))
      while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      if alive "$pid"; then kill -9 "$pid"; fi
      [ -n "$pid" ] && echo "$name stopped"
    done
    pid=$(pg_pid)
    if alive "$pid"; then
      kill -INT "$pid" # fast shutdown
      deadline=$((SECONDS + 30))
      while { alive "$pid" || [ -f "$dir/pg/data/postmaster.pid" ]; } && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      if alive "$pid"; then kill -9 "$pid"; fi
      echo "postgresql stopped"
    fi
    if $purge; then rm -rf "$dir"; echo "$dir deleted"; fi
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
