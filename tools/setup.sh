#!/usr/bin/env bash
# Installs what the build and tests need on Debian 12, only what is missing, then configures
# and builds into ./build (or $SR_BUILD_DIR). Safe to run again: a second run does little.
#   tools/setup.sh [extra cmake -D options...]
#   SR_SETUP_ONLY=1 tools/setup.sh     install the packages only
set -euo pipefail
cd "$(dirname "$0")/.."

# curl and python3: the WordPress example's trigger.sh, run by tests/e2e, and the bench scripts.
packages=(cmake g++ make pkg-config git ca-certificates libssl-dev postgresql-15 postgresql-client-15
          libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libpqxx-dev libfmt-dev catch2
          libbenchmark-dev wrk curl python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # Never name an installed package (apt would upgrade it) and never pull recommends.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# valijson (header-only JSON Schema validation). Debian's libvalijson-dev depends on Qt5, Poco
# and more; its headers and CMake config are all we need, so unpack the .deb locally.
deps=third_party/.deps
if [ ! -f "$deps/usr/share/cmake/valijson/valijsonConfig.cmake" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download libvalijson-dev >/dev/null 2>&1) || { $SUDO apt-get update -qq; (cd "$tmp" && apt-get download libvalijson-dev >/dev/null); }
  mkdir -p "$deps"
  dpkg-deb -x "$tmp"/libvalijson-dev_*.deb "$deps"
  rm -rf "$tmp"
fi

[ "${SR_SETUP_ONLY:-0}" = 1 ] && exit 0 # packages only (benchmark scripts build their own tree)

build=${SR_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=${SR_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
