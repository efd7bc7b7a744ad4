#!/usr/bin/env bash
# Builds OpenJPEG's decoder and tools/openjpeg/dicom_j2k.c into one standalone WebAssembly
# module with SIMD, then writes lib/pixels/codecs/jpeg_2000/_openjpeg_wasm.ts (the module's
# bytes, base64, so the codec loads from a checkout and from the published package alike).
#
#   bash tools/openjpeg/build.sh [OPENJPEG_SOURCE]
#
# OPENJPEG_SOURCE is a checkout of https://github.com/uclouvain/openjpeg (default: a fresh
# clone of tag $OPENJPEG_TAG into a temporary folder). Needs Emscripten (Debian:
# `apt-get install emscripten`, 3.1.6 here; it runs with NODE_PATH=/usr/share/nodejs).
set -euo pipefail
cd "$(dirname "$0")/../.."
OPENJPEG_TAG="${OPENJPEG_TAG:-v2.5.4}"
SRC="${1:-}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if [ -z "$SRC" ]; then
  git clone --quiet --depth 1 --branch "$OPENJPEG_TAG" https://github.com/uclouvain/openjpeg "$WORK/openjpeg"
  SRC="$WORK/openjpeg"
elif [ -d "$SRC/.git" ] || git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
  mkdir -p "$WORK/openjpeg"
  git -C "$SRC" archive "$OPENJPEG_TAG" | tar -x -C "$WORK/openjpeg"
  SRC="$WORK/openjpeg"
fi
LIB="$SRC/src/lib/openjp2"
VERSION="${OPENJPEG_TAG#v}"
IFS=. read -r MAJOR MINOR BUILD <<<"$VERSION"
cat >"$WORK/opj_config.h" <<H
#ifndef OPJ_CONFIG_H_INCLUDED
#define OPJ_CONFIG_H_INCLUDED
#define OPJ_VERSION_MAJOR $MAJOR
#define OPJ_VERSION_MINOR $MINOR
#define OPJ_VERSION_BUILD $BUILD
#endif
H
cat >"$WORK/opj_config_private.h" <<H
#define OPJ_PACKAGE_VERSION "$VERSION"
#define OPJ_HAVE_POSIX_MEMALIGN
#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200112L
#endif
H
SOURCES="thread bio cio dwt event ht_dec image invert j2k jp2 mct mqc openjpeg opj_clock pi t1 t2 tcd tgt function_list opj_malloc sparse_array"
FILES=""
for s in $SOURCES; do FILES="$FILES $LIB/$s.c"; done
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
# -msimd128 -msse2 -msse4.1: OpenJPEG's SSE paths (wavelet, colour transform) become
# WebAssembly SIMD through Emscripten's SSE headers.
OPT="${OPJ_CFLAGS:--O3 -flto -msimd128 -msse2 -msse4.1}"
CFLAGS="$OPT -DNDEBUG -DOPJ_STATIC -DMUTEX_stub -I$WORK -I$LIB"
OUT="$WORK/openjpeg.wasm"
emcc $CFLAGS $FILES tools/openjpeg/dicom_j2k.c -o "$OUT" \
  --no-entry -s STANDALONE_WASM=1 -s FILESYSTEM=0 -s ALLOW_MEMORY_GROWTH=1 \
  -s INITIAL_MEMORY=33554432 -s MAXIMUM_MEMORY=2147483648 -s ERROR_ON_UNDEFINED_SYMBOLS=1 \
  -s EXPORTED_FUNCTIONS=_dj_alloc,_dj_free,_dj_info,_dj_samples,_dj_message,_dj_release,_dj_decode,_malloc,_free
emcc --version >"$WORK/emcc_version.txt"
EMCC_VERSION="$(sed -n 1p "$WORK/emcc_version.txt")"
TARGET="${OPJ_TARGET:-lib/pixels/codecs/_openjpeg_wasm.ts}"
deno run -A tools/openjpeg/embed.ts "$OUT" "$TARGET" \
  "OpenJPEG $VERSION ($OPENJPEG_TAG) with tools/openjpeg/dicom_j2k.c; $EMCC_VERSION; $OPT"
echo "wrote $TARGET ($(wc -c <"$OUT") bytes of WebAssembly)"
