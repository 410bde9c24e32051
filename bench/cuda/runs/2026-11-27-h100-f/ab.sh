#!/usr/bin/env bash
# A/B of `nvae train --backend cuda` (mlp, 3 epochs of Fashion-MNIST) on one GPU machine, alternating:
#   new16  this tree's jar, launcher/jvm-flags.sh's flags as on 16 cores (-XX:-UseProfiledLoopPredicate)
#   new4   this tree's jar, the flags as on 4 cores (C2's default loop predicates)
#   old    6bf0032's jar and flags (the tree of bench/cuda/runs/2026-11-26-h100-e)
#   bash .abjar/ab.sh JAVA NEW_JAR DATA_DIR OUT_FILE [PAIRS]
set -uo pipefail
JAVA=$1 NEW=$2 DATA=$3 OUTF=$4 PAIRS=${5:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$(mktemp -d /tmp/ab.XXXXXX)
. "$ROOT/bench/cuda/unxz.sh"
OLD=0
[[ -f "$ROOT/.abjar/nvae-6bf0032.jar.xz" ]] && unxz "$ROOT/.abjar/nvae-6bf0032.jar.xz" >"$W/old.jar" && OLD=1
flags() { # FLAGS_FILE CPUS
  ( . "$1"; NVAE_CPUS=$2 nvae_jvm_flags train; echo "$NVAE_JVM_FLAGS" )
}
run() { # NAME JAR FLAGS_FILE CPUS
  local f; read -r -a f <<<"$(flags "$3" "$4")"
  echo "=== $1 ($2; ${f[*]})" >>"$OUTF"
  "$JAVA" "${f[@]}" -Dnvae.home="$ROOT" -Dnvae.cache.dir="$W/cache" -Dnvae.stderr.tty=false -jar "$2" train --data "$DATA" \
    --epochs 3 --seed 0 --backend "${AB_BACKEND:-cuda}" --no-progress ${AB_LIMIT:+--limit $AB_LIMIT} --out "$W/m-$1.safetensors" >>"$OUTF" 2>&1
  echo "rc $?" >>"$OUTF"
  rm -f "$W/m-$1.safetensors"
}
: >"$OUTF"
for ((i = 0; i < PAIRS; i++)); do
  run new16 "$NEW" "$ROOT/launcher/jvm-flags.sh" 16
  ((OLD)) && run old "$W/old.jar" "$ROOT/.abjar/jvm-flags-6bf0032.sh" 16
  run new4 "$NEW" "$ROOT/launcher/jvm-flags.sh" 4
done
rm -rf "$W"
grep -E '^===|examples_per_s|^rc' "$OUTF" | sed -E 's/.*"epoch":([0-9]+).*"examples_per_s":([0-9.]+).*/  epoch \1: \2/' | head -60
