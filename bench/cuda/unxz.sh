# unxz FILE: FILE's xz-compressed bytes, decompressed, on stdout — with xz where the machine has it, else with
# python's lzma ($PY, which the sourcing script sets). Sourced by bench/cuda/device-check and cpu-compare:
# a lent GPU machine has python but not always xz.
unxz() {
  if command -v xz >/dev/null; then xz -dc "$1"; else "$PY" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi
}
