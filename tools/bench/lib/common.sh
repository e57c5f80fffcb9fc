# Shared helpers for the B1-B3, B6 benchmark scripts (sourced, not run).
# Uses the already-built binaries in build/bin and build/plugins (SR_BENCH_BUILD to change).
SR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
SR_BUILD=${SR_BENCH_BUILD:-$SR_ROOT/build}
SCENARIOD=$SR_BUILD/bin/scenariod
SCENARIOCTL=$SR_BUILD/bin/scenarioctl
BENCH_LIB=$SR_ROOT/tools/bench/lib
PY=${PYTHON:-/usr/bin/python3}
export SR_MASTER_KEY=${SR_MASTER_KEY:-$(head -c32 /dev/urandom | od -An -tx1 | tr -d ' \n')}

BENCH_PIDS=()
BENCH_TMP=$(mktemp -d /tmp/srb.XXXXXX)   # short: the PostgreSQL socket path has a length limit

bench_cleanup() {
    set +e   # errexit would stop the cleanup at the first already-gone pid
    local p d
    for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${BENCH_PIDS[@]}"; do wait "$p" 2>/dev/null; done
    # the private cluster outlives scenariod only if it was left running by a crash
    for d in "$BENCH_TMP"/*/pg; do
        [ -f "$d/postmaster.pid" ] && pg_ctl_stop "$d"
    done
    # SR_BENCH_KEEP_LOGS=DIR keeps the hosts' logs for a look afterwards
    [ -n "${SR_BENCH_KEEP_LOGS:-}" ] && mkdir -p "$SR_BENCH_KEEP_LOGS" && cp "$BENCH_TMP"/*.log "$SR_BENCH_KEEP_LOGS"/ 2>/dev/null
    rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT

pg_ctl_stop() {
    local ctl; ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$ctl" -D "$1" -m fast stop >/dev/null 2>&1 || true
    else "$ctl" -D "$1" -m fast stop >/dev/null 2>&1 || true; fi
}

free_port() { "$PY" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# wait_health PORT [timeout_s] [pid]; fails at once when pid has exited
wait_health() {
    local deadline=$((SECONDS + ${2:-60}))
    until curl -fs -o /dev/null "http://127.0.0.1:$1/health"; do
        [ $SECONDS -ge $deadline ] && return 1
        [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
        sleep 0.05
    done
}

# start_daemon NAME PORT [extra args...]; sets DAEMON_PID; log in $BENCH_TMP/NAME.log
start_daemon() {
    local name=$1 port=$2; shift 2
    # SR_BENCH_HOST_ARGS: extra scenariod options for every host, e.g. "--handoff off"
    # shellcheck disable=SC2086
    "$SCENARIOD" --listen "127.0.0.1:$port" --data-dir "$BENCH_TMP/$name" "$@" ${SR_BENCH_HOST_ARGS:-} >"$BENCH_TMP/$name.log" 2>&1 &
    DAEMON_PID=$!
    BENCH_PIDS+=("$DAEMON_PID")
    wait_health "$port" 120 "$DAEMON_PID" || { echo "scenariod $name did not answer /health; log:" >&2; tail -30 "$BENCH_TMP/$name.log" >&2; exit 1; }
}

# psql on the private cluster of data dir NAME (runs as postgres when root)
pg_conninfo() {
    local dir=$BENCH_TMP/$1/pg sock port
    sock=$(ls "$dir"/.s.PGSQL.* 2>/dev/null | grep -v lock | head -1)
    port=${sock##*.}
    echo "host=$dir port=$port dbname=${PGDATABASE_NAME:-scenario}"
}
