#!/usr/bin/env bash
# Runs one benchmark script against two builds alternately (A, B, A, B, ...), as
# docs/benchmarks.md asks when comparing builds: these machines drift by tens of percent within
# minutes, so figures of two builds measured one after the other in blocks compare the machine,
# not the builds.
#   tools/bench/compare.sh SCRIPT BUILD_A BUILD_B [ROUNDS]
#   e.g. tools/bench/compare.sh b1_sync_webhook.sh /tmp/old-build build 3
# Each line of output is "A|B round N: <the script's summary line>". Environment (DURATION,
# CONNS, SR_BENCH_HOST_ARGS, ...) passes through to the script. To compare two settings of one
# build, name the build twice and set SR_BENCH_HOST_ARGS_A and SR_BENCH_HOST_ARGS_B, e.g.
#   SR_BENCH_HOST_ARGS_A="--writer-lanes 1" SR_BENCH_HOST_ARGS_B="--writer-lanes 2" \
#     tools/bench/compare.sh b3_side_effects.sh build-bench build-bench
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
script=$here/$(basename "$1")
[ -x "$script" ] || [ -f "$script" ] || { echo "compare: no benchmark script $1 in $here" >&2; exit 2; }
a=$(cd "$2" && pwd) b=$(cd "$3" && pwd) rounds=${4:-3}
for build in "$a" "$b"; do
    [ -x "$build/bin/scenariod" ] || { echo "compare: $build/bin/scenariod is missing; build it first" >&2; exit 2; }
done
for round in $(seq "$rounds"); do
    for side in A B; do
        build=$a args=${SR_BENCH_HOST_ARGS_A-${SR_BENCH_HOST_ARGS:-}}
        [ "$side" = B ] && build=$b args=${SR_BENCH_HOST_ARGS_B-${SR_BENCH_HOST_ARGS:-}}
        line=$(SR_BENCH_BUILD=$build SR_BENCH_HOST_ARGS=$args bash "$script" 2>&1 | tail -1)
        echo "$side round $round: $line"
    done
done
