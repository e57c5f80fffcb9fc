#!/usr/bin/env bash
# Builds a plugin outside this repository against the SDK as installed from this build:
#   1. cmake --install <build> --component sdk --prefix <tmp>/prefix  (nothing else needed)
#   2. configure + build tests/sdk/out_of_tree_plugin with only that prefix to find the SDK
#   3. the .so exports exactly sr_plugin_entry_v1 (nm -D --defined-only)
#   4. it loads with dlopen, reports ABI 1 and runs an action (probe.c)
# Usage: out_of_tree_test.sh <build dir> <plugin project dir> [cmake] [cc] [c++]
set -euo pipefail
build=$1
project=$2
cmake=${3:-cmake}
cc=${4:-cc}
cxx=${5:-c++}

work=$(mktemp -d /tmp/sr-sdk-oot-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --install "$build" --component sdk --prefix "$work/prefix" >"$work/install.log" \
  || { cat "$work/install.log"; fail "installing the sdk component"; }
for f in include/scenario/sr_plugin.h include/scenario/sdk.hpp; do
  [ -f "$work/prefix/$f" ] || fail "$f not installed"
done
config=$(find "$work/prefix" -name ScenarioSDKConfig.cmake)
[ -n "$config" ] || fail "ScenarioSDKConfig.cmake not installed"

# No package registry, no path into this repository: the prefix is the only way in.
"$cmake" -S "$project" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "configuring the out-of-tree project"; }
sdk_dir=$(sed -n 's/^ScenarioSDK_DIR:PATH=//p' "$work/build/CMakeCache.txt")
case "$sdk_dir" in
  "$work/prefix"/*) ;;
  *) fail "ScenarioSDK was found in '$sdk_dir', not in the install prefix" ;;
esac
"$cmake" --build "$work/build" -j2 >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "building the out-of-tree plugin"; }

so="$work/build/hello.so"
[ -f "$so" ] || fail "hello.so was not built"
exports=$(nm -D --defined-only "$so" | awk '{print $NF}' | sort -u)
[ "$exports" = "sr_plugin_entry_v1" ] || fail "hello.so exports more than sr_plugin_entry_v1: $exports"

out=$("$work/build/sr_plugin_probe" "$so" greet '{"name":"SDK"}') || fail "probe failed: $out"
echo "$out"
grep -qx 'abi 1\.[0-9]*' <<<"$out" || fail "entry does not report ABI 1"
grep -q '"id":"hello"' <<<"$out" || fail "manifest lacks the plugin id"
grep -q '"greeting":"Hello, SDK"' <<<"$out" || fail "the action's output is wrong"
echo "PASS: out-of-tree plugin built against $sdk_dir"
