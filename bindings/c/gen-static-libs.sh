#!/usr/bin/env bash
# The one list of system libraries that the static libmyeloma_pathway.a needs, as rustc reports
# it (`--print native-static-libs`), written to bindings/c/static-libs.txt. install.sh puts it
# into the pkg-config files and the CMake package; scripts/test-c links with it and runs
# `gen-static-libs.sh --check`, which fails when the file and rustc disagree.
#
# Usage: bindings/c/gen-static-libs.sh [--check]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
libs="$(cd "$ROOT" && cargo rustc -q -p myeloma-pathway-c --lib --crate-type staticlib -- --print native-static-libs 2>&1 \
  | sed -n 's/.*native-static-libs: //p' | tail -n 1)"
[[ -n $libs ]] || { echo "rustc printed no native-static-libs" >&2; exit 1; }
if [[ ${1:-} == --check ]]; then
  if [[ "$libs" != "$(cat "$HERE/static-libs.txt")" ]]; then
    echo "bindings/c/static-libs.txt is out of date: rustc says '$libs'; run bindings/c/gen-static-libs.sh" >&2
    exit 1
  fi
  echo "static-libs.txt matches rustc: $libs"
else
  echo "$libs" >"$HERE/static-libs.txt"
fi
