#!/usr/bin/env bash
# B2 (docs/benchmarks.md): the B1 scenario with the webhook answering 202 once the event is
# durably stored (response_mode async). 64 keep-alive connections for DURATION s (default 10)
# after a 2 s warm-up, then wait until every run of the scenario has finished and count them.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_LIB/bench_host.sh"
DURATION=${DURATION:-10} CONNS=${CONNS:-64} DRAIN_LIMIT=${DRAIN_LIMIT:-300}
HOST_ARGS=()
bench_host b2
wrk_run 8 2 "$HOOK_URL" >/dev/null   # warm-up, then let its runs finish
for _ in $(seq 60); do [ "$(q "select count(*) from runs where status in ('pending','queued','running','waiting')")" -eq 0 ] && break; sleep 1; done
before=$(q "select count(*) from runs")
load0=$(load_avg)
s=$(wrk_run "$CONNS" "$DURATION" "$HOOK_URL")
load1=$(load_avg)
total=$(field "$s" requests); non2xx=$(field "$s" non2xx); dur=$(field "$s" duration_s)
accepted=$((total - non2xx))
stored=$(( $(q "select count(*) from runs") - before ))
t0=$SECONDS
while :; do
    open=$(q "select count(*) from runs where status in ('pending','queued','running','waiting')")
    [ "$open" -eq 0 ] && break
    [ $((SECONDS - t0)) -ge "$DRAIN_LIMIT" ] && break
    sleep 1
done
drain=$((SECONDS - t0))
statuses=$(q "select string_agg(status || '=' || n, ' ') from (select status, count(*) n from runs group by status order by status) s")
done_runs=$(( $(q "select count(*) from runs where status in ('succeeded','failed','cancelled','incomplete')") - before ))
rate=$(awk -v a="$accepted" -v d="$dur" 'BEGIN{printf "%.0f", a/d}')
drain_rate=$(awk -v a="$stored" -v d="$DURATION" -v w="$drain" 'BEGIN{printf "%.0f", a/(d+w)}')
echo "B2 async ingest: ${rate} accepted/s, p50 $(field "$s" p50_ms) ms, p99 $(field "$s" p99_ms) ms at ${CONNS} connections for ${DURATION} s; accepted ${accepted}, non-2xx ${non2xx}, stored ${stored} (requests still in flight when wrk stopped are stored too), completed ${done_runs} (open after drain: ${open}; runs by status: ${statuses}) after ${drain} s more draining (~${drain_rate} runs/s end to end) ($(nproc) cores, load ${load0} -> ${load1}, 1 run, $(date -u +%F))"
