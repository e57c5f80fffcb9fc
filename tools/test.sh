#!/usr/bin/env bash
# Installs what is missing, builds everything (tests included) and runs every test with CTest.
# The tests start their own throwaway PostgreSQL cluster (tools/testing/test_cluster.sh).
#   tools/test.sh [extra cmake -D options...]     e.g. SR_BUILD_DIR=build-asan tools/test.sh -DSR_SANITIZE=ON
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh -DSR_BUILD_TESTS=ON "$@"
build=${SR_BUILD_DIR:-build}
# Only read by sanitizer builds: leaks inside libpq/libpqxx are not ours to fix.
export LSAN_OPTIONS="suppressions=$PWD/tools/testing/lsan.supp:print_suppressions=0"
# GCC 12's libasan misreads some dynamic TLS blocks of dlopen'ed libraries (every plugin has a
# thread_local) as glibc <= 2.24 ones and LeakSanitizer's tracer then dies scanning a bogus
# range at exit. Not intercepting __tls_get_addr avoids it; nothing of ours needs it.
export ASAN_OPTIONS="intercept_tls_get_addr=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# SR_CTEST_EXCLUDE: a ctest -E regex of tests to leave out of this run (see .ci/run).
exclude=()
[ -n "${SR_CTEST_EXCLUDE:-}" ] && exclude=(-E "$SR_CTEST_EXCLUDE")
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 300 "${exclude[@]}"
