#!/usr/bin/env bash
# Regenerates the FFM bindings with jextract (https://jdk.java.net/jextract/, for JDK 22+), from the same
# headers and include lists they were written from.
#
# The sources in src/main/java/dev/nvae/ffm/{dnnl,cuda} were WRITTEN BY HAND: jextract cannot be fetched
# from this project's build network. They follow jextract's output shape (a header class of static methods
# over lazily created downcall handles, constants as static methods, typedef layouts, struct classes) so
# that this script can replace them. After regenerating, re-apply the two local edits jextract cannot make:
#   1. findOrThrow(...) in dnnl_h and omp_h resolves through NativeLibraries.dnnlSymbol(...), in
#      cuda_runtime_api_h through CudaRuntime.symbol(...), and in cublas_v2_h, nvrtc_h and cuda_h through
#      CudaLibraries.symbol(CudaLibraries.CUBLAS / NVRTC / DRIVER, ...) (jextract would emit a SymbolLookup of
#      its own);
#   2. dnnl_h.dnnl_dims_t (a layout for the array typedef) and dnnl.DnnlMacros (function-like macros).
# Then run: ./nvae mvn -q -pl ffm-bindings install   (HeaderConsistencyTest and IncludeListTest check the result)
#
# Usage: ffm-bindings/regenerate.sh [path/to/jextract]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JEXTRACT="${1:-$(command -v jextract || true)}"
[[ -x "$JEXTRACT" ]] || { echo "regenerate.sh: jextract not found (pass its path, or put it on PATH)" >&2; exit 2; }

DNNL_VERSION="$(sed -n 's:.*<dnnl.artifact.version>\(.*\)</dnnl.artifact.version>.*:\1:p' "$HERE/pom.xml")"
JAR="${HOME}/.m2/repository/org/bytedeco/dnnl/${DNNL_VERSION}/dnnl-${DNNL_VERSION}-linux-x86_64.jar"
[[ -f "$JAR" ]] || (cd "$HERE/.." && ./nvae mvn -q dependency:get -Dtransitive=false \
  -Dartifact="org.bytedeco:dnnl:${DNNL_VERSION}:jar:linux-x86_64")

WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
unzip -q "$JAR" 'org/bytedeco/dnnl/linux-x86_64/include/*' -d "$WORK"
INC="$WORK/org/bytedeco/dnnl/linux-x86_64/include"
OUT="$HERE/src/main/java"

# dnnl.h does not include dnnl_debug.h; one wrapper header covers everything the include list names.
printf '#include "oneapi/dnnl/dnnl.h"\n' > "$WORK/nvae_dnnl.h"
"$JEXTRACT" --output "$OUT" --target-package dev.nvae.ffm.dnnl --header-class-name dnnl_h \
  -I "$INC" @"$HERE/jextract-includes.txt" "$WORK/nvae_dnnl.h"

OMP_H="$(gcc -print-file-name=include/omp.h 2>/dev/null || true)"
if [[ -f "$OMP_H" ]]; then
  "$JEXTRACT" --output "$OUT" --target-package dev.nvae.ffm.dnnl --header-class-name omp_h \
    @"$HERE/jextract-includes-omp.txt" "$OMP_H"
else
  echo "regenerate.sh: GCC's omp.h not found; omp_h left as is" >&2
fi

# The CUDA headers come from a toolkit (cuBLAS and NVRTC headers only where those packages are installed);
# each class is left as it is when its header is missing.
CUDA_INC="${CUDA_HOME:-/usr/local/cuda}/include"
cuda_header() {  # header-class-name include-list header
  if [[ -f "$CUDA_INC/$3" ]]; then
    "$JEXTRACT" --output "$OUT" --target-package dev.nvae.ffm.cuda --header-class-name "$1" \
      -I "$CUDA_INC" @"$HERE/$2" "$CUDA_INC/$3"
  else
    echo "regenerate.sh: $CUDA_INC/$3 not found; $1 left as is" >&2
  fi
}
cuda_header cuda_runtime_api_h jextract-includes-cudart.txt cuda_runtime_api.h
cuda_header cublas_v2_h jextract-includes-cublas.txt cublas_v2.h
cuda_header nvrtc_h jextract-includes-nvrtc.txt nvrtc.h
cuda_header cuda_h jextract-includes-cuda.txt cuda.h
echo "regenerated into $OUT: now re-apply the local edits listed at the top of this script"
