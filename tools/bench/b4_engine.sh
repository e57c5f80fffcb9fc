#!/usr/bin/env bash
# B4 (docs/benchmarks.md): the engine in-process, no database, no sockets. Builds bench_engine
# in Release into build-bench/ and prints one summary line of medians over 3 repetitions.
set -euo pipefail
cd "$(dirname "$0")/../.."
SR_SETUP_ONLY=1 tools/setup.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSR_BUILD_TESTS=OFF -DSR_BUILD_BENCH=ON >/dev/null
cmake --build build-bench --target bench_engine -j"$(nproc)" >/dev/null
out=$(build-bench/bin/bench_engine --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
      --benchmark_min_time=0.5 2>/dev/null | grep '_median')
echo "$out" >&2
med() { echo "$out" | awk -v n="$1" '$1 ~ n {print $0}' ; }
per_node() { med "$1" | grep -o 'ns_per_node=[0-9.]*[kMG]*' | head -1 | cut -d= -f2; }
validate=$(med "BM_validate_1000" | awk '{print $2 " " $3}')
expr=$(med "BM_expression/arithmetic" | awk '{print $2 " " $3}')
echo "B4 engine: chain-20 $(per_node BM_chain_20)ns/node, wide-1000 $(per_node BM_wide_1000)ns/node, validate-1000 ${validate}, expression ${expr} (median of 3, $(nproc) cores, $(date -u +%F))"
