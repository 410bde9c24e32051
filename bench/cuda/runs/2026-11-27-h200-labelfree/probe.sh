#!/usr/bin/env bash
# What ran on the H200 (bench/cuda/runs/README.md, 2026-11-27-h200-labelfree): `bash .gpu/probe.sh` from the repository
# root of 7dcc453, with bench/cuda/pack's .gpu folder carried; 15 label-free runs (seeds 10-24), three at a time.
set -uo pipefail
ROOT="$(pwd)"; DIR="$ROOT/.gpu"; W=/tmp/probe; PY=python3
mkdir -p "$W/fashion-mnist" "$W/cache" "$OUT"
. "$ROOT/bench/cuda/unxz.sh"
( unxz "$DIR/runtime.tar.xz" | tar -C "$W" -xf - &
  unxz "$DIR/nvae.jar.xz" >"$W/nvae.jar" &
  for f in "$DIR"/fashion-mnist/*.xz; do unxz "$f" >"$W/fashion-mnist/$(basename "${f%.xz}")" & done; wait )
cat >"$W/nvae" <<EOS
#!/usr/bin/env bash
. "$ROOT/launcher/jvm-flags.sh"
nvae_jvm_flags "\${1:-}"
read -r -a FLAGS <<<"\$NVAE_JVM_FLAGS"
exec "$W/runtime/bin/java" "\${FLAGS[@]}" -Dnvae.home="$ROOT" -Dnvae.cache.dir="$W/cache" -Dnvae.stderr.tty=false -jar "$W/nvae.jar" "\$@"
EOS
chmod +x "$W/nvae"
member() {
  local s=$1 t0=$(date +%s)
  "$W/nvae" train --labels none --epochs 10 --seed $s --data "$W/fashion-mnist" --backend cuda --threads 5 --no-progress --out "$W/m$s.safetensors" >"$OUT/m$s.log" 2>&1 || { echo "member $s train failed"; return; }
  for sp in train test; do
    "$W/nvae" encode --model "$W/m$s.safetensors" --data "$W/fashion-mnist" --split $sp --backend cuda --threads 5 --out "$W/m$s-$sp.npy" >>"$OUT/m$s.log" 2>&1
    $PY -c "import numpy as np,sys; a=np.load(sys.argv[1]); np.save(sys.argv[2], a[:,:2].astype(np.uint8))" "$W/m$s-$sp.npy" "$OUT/m$s-$sp.npy"
  done
  echo "member $s done in $(( $(date +%s) - t0 )) s"
}
for g in "10 11 12" "13 14 15" "16 17 18" "19 20 21" "22 23 24"; do
  for s in $g; do member $s & done; wait
done
