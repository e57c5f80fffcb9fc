# Sourced after common.sh: start host h1, bootstrap an organization, publish scenario KIND.
# usage: bench_host KIND [SINK_URL]; sets PORT, TOKEN, HOOK_URL
bench_host() {
    PORT=$(free_port)
    start_daemon h1 "$PORT" "${HOST_ARGS[@]}"
    TOKEN=$("$SCENARIOCTL" admin bootstrap --org bench --email bench@example.com --data-dir "$BENCH_TMP/h1" 2>/dev/null | grep -o 'srt_[A-Za-z0-9_-]*' | head -1)
    [ -n "$TOKEN" ] || { echo "admin bootstrap printed no token" >&2; exit 1; }
    HOOK_URL=$("$PY" "$BENCH_LIB/setup_scenario.py" "http://127.0.0.1:$PORT" "$TOKEN" "$@")
}

# psql against host h1's private cluster
q() { psql "$(pg_conninfo h1)" -XAtqc "$1"; }

# wrk_run CONNS SECONDS URL -> the SUMMARY line of post_event.lua
wrk_run() {
    local threads=2; [ "$1" -lt 2 ] && threads=1
    wrk -t"$threads" -c"$1" -d"$2"s --timeout 10s -s "$BENCH_LIB/post_event.lua" "$3" 2>&1 | grep '^SUMMARY' || echo "SUMMARY requests=0 failed"
}
field() { echo "$1" | grep -o "$2=[0-9.]*" | cut -d= -f2; }
