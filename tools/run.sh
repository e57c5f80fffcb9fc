#!/usr/bin/env bash
# The main job: installs what is missing, builds, then runs scenariod with the bundled plugins
# on 127.0.0.1:8080. Without SR_DATABASE_URL it starts (and on exit stops) a private
# PostgreSQL under ./.scenario. Extra arguments go to scenariod (see `scenariod --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
SR_BUILD_TESTS=${SR_BUILD_TESTS:-OFF} tools/setup.sh -DSR_BUILD_TESTS="${SR_BUILD_TESTS:-OFF}"
build=${SR_BUILD_DIR:-build}
exec "$build/bin/scenariod" --listen 127.0.0.1:8080 --plugins "$build/plugins" --data-dir .scenario "$@"
