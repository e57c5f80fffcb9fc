#!/usr/bin/env bash
# B6 (docs/benchmarks.md): scenariod with the bundled plugins, from exec to /health 200 with the
# database already initialized (10 starts), and its idle RSS 15 s after the last start.
# Two cases: the private PostgreSQL under --data-dir (scenariod starts and stops it each time),
# and an external PostgreSQL already running (SR_DATABASE_URL) — the daemon's own start.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
STARTS=${STARTS:-10} IDLE=${IDLE:-15}
port=$(free_port)
# first start initializes the cluster, migrates and seeds; not measured
start_daemon h0 "$port"; kill "$DAEMON_PID"; wait "$DAEMON_PID" || true
load0=$(load_avg)
priv=$("$PY" "$BENCH_LIB/start_probe.py" "$STARTS" 0 -- "$SCENARIOD" --listen "127.0.0.1:$port" --data-dir "$BENCH_TMP/h0")
# keep the cluster up with one daemon, measure a second daemon against it
start_daemon h0 "$port"
url=$(pg_conninfo h0)
port2=$(free_port)
ext=$(SR_DATABASE_URL="$url" "$PY" "$BENCH_LIB/start_probe.py" "$STARTS" "$IDLE" -- "$SCENARIOD" --listen "127.0.0.1:$port2" --data-dir "$BENCH_TMP/h2")
read -r _ pmed pmin pmax _ _ _ _ <<<"$priv"
read -r _ emed emin emax _ rss _ thr <<<"$ext"
echo "B6 start: exec->/health 200 median ${emed} ms (min ${emin}, max ${emax}) with PostgreSQL running, ${pmed} ms (min ${pmin}, max ${pmax}) incl. starting the private cluster; idle RSS $((rss / 1024)) MB, ${thr} threads after ${IDLE} s (${STARTS} starts, $(nproc) cores, load ${load0}, $(date -u +%F))"
