#!/usr/bin/env bash
# B3 (docs/benchmarks.md): 5 nodes (webhook -> transform -> POST sink/a -> POST sink/b -> transform),
# the sink counting requests by Idempotency-Key. Runs are started through the async webhook
# (202 once stored) with 64 connections for DURATION s (default 10), then drained; completed
# runs/s = completed runs / (last finished_at - first created_at). Then the same with 3 hosts
# on one database (h1's private cluster via SR_DATABASE_URL, --host-id), load spread over all 3.
# First, claim latency on the idle host: 100 runs stored one at a time.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$BENCH_LIB/bench_host.sh"
DURATION=${DURATION:-10} CONNS=${CONNS:-64} DRAIN_LIMIT=${DRAIN_LIMIT:-60}

# The sink is ours (tools/bench/sink, Boost.Beast): a Python one capped B3 at what it served.
[ -x "$SR_BUILD/bin/bench_sink" ] || cmake --build "$SR_BUILD" --target bench_sink >/dev/null
"$SR_BUILD/bin/bench_sink" "$BENCH_TMP/sink.port" &
BENCH_PIDS+=($!)
for _ in $(seq 100); do [ -s "$BENCH_TMP/sink.port" ] && break; sleep 0.05; done
SINK="http://127.0.0.1:$(cat "$BENCH_TMP/sink.port")"
HOST_ARGS=(--host-id h1)
bench_host b3 "$SINK"
path=${HOOK_URL#http://127.0.0.1:*/}

drain() {  # wait until no run is open; echoes the seconds waited
    local t0=$SECONDS open
    while :; do
        open=$(q "select count(*) from runs where status in ('pending','queued','running','waiting')")
        [ "$open" -eq 0 ] || [ $((SECONDS - t0)) -ge "$DRAIN_LIMIT" ] && break
        sleep 1
    done
    echo $((SECONDS - t0))
}

# one phase: load spread over the given ports; prints a summary fragment
phase() {
    local label=$1; shift
    local since load0 pids=() p n=$#
    since=$(q "select now()")
    load0=$(load_avg)
    for p in "$@"; do
        wrk_run $((CONNS / n)) "$DURATION" "http://127.0.0.1:$p/$path" >"$BENCH_TMP/wrk.$p" &
        pids+=($!)
    done
    wait "${pids[@]}"
    local accepted=0 f
    for p in "$@"; do f=$(cat "$BENCH_TMP/wrk.$p"); accepted=$((accepted + $(field "$f" requests) - $(field "$f" non2xx))); done
    local waited; waited=$(drain)
    local row; row=$(q "select count(*) filter (where status = 'succeeded'), count(*) filter (where status <> 'succeeded'),
        coalesce(round(extract(epoch from max(finished_at) - min(created_at))::numeric, 2), 0),
        count(distinct lease_owner),
        round((percentile_cont(0.99) within group (order by extract(epoch from started_at - created_at)) * 1000)::numeric, 0)
        from runs where created_at >= '$since'")
    IFS='|' read -r ok bad span owners wait99 <<<"$row"
    local rate; rate=$(awk -v n="$ok" -v s="$span" 'BEGIN{ if (s > 0) printf "%.0f", n/s; else print 0 }')
    echo "${label}: ${rate} completed runs/s (${ok} succeeded, ${bad} not, accepted ${accepted}, span ${span} s, drained ${waited} s after the load, queue wait p99 ${wait99} ms, load ${load0})"
}

# claim latency on an idle host: runs stored one at a time (202 awaited, 50 ms apart); from the
# run's row being written (created_at, its transaction's start) to its claim (started_at). With
# hand-off (scenariod's default) a webhook's run starts without a claim and this reads 0: run
# with SR_BENCH_HOST_ARGS="--handoff off" to measure the claim path.
claim_latency() {
    local since i; since=$(q "select now()")
    for i in $(seq 100); do
        curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"id\": $i}" "$HOOK_URL"
        sleep 0.05
    done
    drain >/dev/null
    q "select 'p50 ' || round((percentile_cont(0.5) within group (order by w) * 1000)::numeric, 1) || ' ms, p99 '
        || round((percentile_cont(0.99) within group (order by w) * 1000)::numeric, 1) || ' ms over ' || count(*) || ' runs'
        from (select extract(epoch from started_at - created_at) w from runs where created_at >= '$since') s"
}

curl -s -X POST -H 'Content-Type: application/json' -d '{"id": 0}' "$HOOK_URL" >/dev/null
drain >/dev/null
idle_claim=$(claim_latency)
one=$(phase "1 host" "$PORT")

# hosts 2 and 3 on h1's cluster
url=$(pg_conninfo h1)
P2=$(free_port); SR_DATABASE_URL="$url" start_daemon h2 "$P2" --host-id h2
P3=$(free_port); SR_DATABASE_URL="$url" start_daemon h3 "$P3" --host-id h3
three=$(phase "3 hosts" "$PORT" "$P2" "$P3")

stats=$(curl -s "$SINK/stats")
succeeded=$(q "select count(*) from runs where status = 'succeeded'")
failed=$(q "select coalesce(string_agg(distinct coalesce(error_code,'') || ': ' || left(coalesce(error_message,''), 120), ' | '), '') from runs where status <> 'succeeded'")
stuck=$(q "select count(*) from runs where status in ('pending','queued','running','waiting')")
# where repeated calls come from: node retries (attempt > 1) or runs taken over (runs.attempt > 1)
retried=$(q "select count(*) from node_runs where attempt > 1")
taken=$(q "select count(*) from runs where attempt > 1")
echo "B3 side effects: start latency at idle (the claim, 0 when handed off) ${idle_claim}; ${one}; ${three}; sink: $(echo "$stats" | tr -d '\n') for ${succeeded} succeeded runs (expect keys = 2 x runs, duplicates 0); node records retried ${retried}, runs taken over ${taken}; still open after the drain limit: ${stuck}${failed:+; failures: $failed} ($(nproc) cores, ${DURATION} s loads, 1 run, $(date -u +%F))"
