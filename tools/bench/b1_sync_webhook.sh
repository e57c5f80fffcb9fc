#!/usr/bin/env bash
# B1 (docs/benchmarks.md): webhook -> transform -> router.if -> respond, answered synchronously
# (response_mode sync), PostgreSQL with default durability, every run recorded. Keep-alive POSTs
# at 1, 16 and 64 connections, DURATION s each (default 10) after a 2 s warm-up.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_LIB/bench_host.sh"
DURATION=${DURATION:-10}
HOST_ARGS=()
bench_host b1
check=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"id": 7, "amount": 100}' "$HOOK_URL")
echo "$check" | grep -q '"branch":"high"' || { echo "B1: unexpected answer: $check" >&2; exit 1; }
wrk_run 8 2 "$HOOK_URL" >/dev/null
line="B1 sync webhook:"
for c in 1 16 64; do
    load=$(load_avg)
    s=$(wrk_run "$c" "$DURATION" "$HOOK_URL")
    rate=$(awk -v n="$(field "$s" requests)" -v d="$(field "$s" duration_s)" 'BEGIN{printf "%.0f", n/d}')
    line+=" c${c} ${rate} req/s p50 $(field "$s" p50_ms) ms p99 $(field "$s" p99_ms) ms non-2xx $(field "$s" non2xx) (load ${load});"
done
failed=$(q "select count(*) || coalesce(' (' || string_agg(distinct status || ' ' || coalesce(error_code, '') || ' ' || left(coalesce(error_message, ''), 120), ' | ') || ')', '') from runs where status <> 'succeeded'")
echo "$line runs not succeeded ${failed}; ${DURATION} s each, $(nproc) cores, 1 run, $(date -u +%F)"
