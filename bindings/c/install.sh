#!/usr/bin/env bash
# Build the C library and install it under a prefix:
#   <prefix>/include/myeloma_pathway.h
#   <prefix>/lib/libmyeloma_pathway.{a,so,so.<abi>}
#   <prefix>/lib/pkgconfig/myeloma_pathway.pc, myeloma_pathway-static.pc
#   <prefix>/lib/cmake/myeloma_pathway/myeloma_pathwayConfig{,Version}.cmake
#
# Usage: bindings/c/install.sh PREFIX            (release build)
#        MP_PROFILE=debug bindings/c/install.sh PREFIX
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 PREFIX" >&2; exit 64; }
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
mkdir -p "$1"
PREFIX="$(cd "$1" && pwd)"
PROFILE="${MP_PROFILE:-release}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [[ $PROFILE == release ]]; then
  (cd "$ROOT" && cargo build -q --release -p myeloma-pathway-c)
else
  (cd "$ROOT" && cargo build -q -p myeloma-pathway-c)
fi
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)"
install -d "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/myeloma_pathway"
install -m 644 "$HERE/include/myeloma_pathway.h" "$PREFIX/include/"
install -m 644 "$TARGET/$PROFILE/libmyeloma_pathway.a" "$PREFIX/lib/"
# The shared library under its SONAME (build.rs: .so.0.<minor> before 1.0, .so.<major> after),
# with the unversioned name for the linker.
MAJOR="${VERSION%%.*}"
MINOR="$(echo "$VERSION" | cut -d. -f2)"
if [[ $MAJOR == 0 ]]; then ABI="0.$MINOR"; else ABI="$MAJOR"; fi
install -m 755 "$TARGET/$PROFILE/libmyeloma_pathway.so" "$PREFIX/lib/libmyeloma_pathway.so.$ABI"
ln -sf "libmyeloma_pathway.so.$ABI" "$PREFIX/lib/libmyeloma_pathway.so"
# One list of system libraries for the static library (static-libs.txt), into both files.
STATIC_LIBS="$(cat "$HERE/static-libs.txt")"
STATIC_LIBS_CMAKE="$(echo "$STATIC_LIBS" | sed -e 's/^-l//' -e 's/ -l/;/g')"
for pc in myeloma_pathway myeloma_pathway-static; do
  sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$VERSION|g" -e "s|@STATIC_LIBS@|$STATIC_LIBS|g" "$HERE/$pc.pc.in" \
    >"$PREFIX/lib/pkgconfig/$pc.pc"
done
sed -e "s|@STATIC_LIBS_CMAKE@|$STATIC_LIBS_CMAKE|g" "$HERE/cmake/myeloma_pathwayConfig.cmake.in" \
  >"$PREFIX/lib/cmake/myeloma_pathway/myeloma_pathwayConfig.cmake"
sed -e "s|@VERSION@|$VERSION|g" "$HERE/cmake/myeloma_pathwayConfigVersion.cmake.in" \
  >"$PREFIX/lib/cmake/myeloma_pathway/myeloma_pathwayConfigVersion.cmake"
echo "installed myeloma_pathway $VERSION ($PROFILE) under $PREFIX"
