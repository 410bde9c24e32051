# The start-up cache of a distribution-shaped folder (runtime/, lib/nvae.jar, lib/natives/): sourced by
# dist/build, and by bench/cuda/cpu-compare, which assembles such a folder on a machine with no JDK.
#
#   nvae_startup_cache HOME WORK EPOCH ROOT
#     HOME   the folder (its runtime/bin/java runs; lib/nvae.aot is written)
#     WORK   scratch for a model, samples and class lists
#     EPOCH  the time every file of HOME is set to (the dump records the jar's and runtime's sizes and times)
#     ROOT   the source tree, for its testdata/
#
# The cache is for the short commands a box runs most: sample, encode, evaluate (a training run's start is
# a small part of it). Their classes are recorded on this runtime and jar, with a model trained for the
# purpose on the committed subset; only the names of ordinary classes are kept, sorted, so that the same
# sources give the same cache (the JVM's own AOT training run records classes in an order, and with
# JIT-generated helpers, that change from run to run). Every class in the cache is mapped, and relocated,
# at each start: the cache of all commands (3,300 classes) made a 10-sample run 0.02 s slower and 12 MB
# larger in RSS than this one (2,100), and the archive 2.9 MB larger.
nvae_startup_cache() {
  _home=$1 _work=$2 _epoch=$3 _root=$4
  . "$_root/launcher/jvm-flags.sh"
  nvae_jvm_flags
  read -r -a _flags <<<"$NVAE_JVM_FLAGS"
  _box_jvm=()   # extra JVM options of the next box command
  _box() {
    "$_home/runtime/bin/java" "${_flags[@]}" "${_box_jvm[@]}" -Dnvae.cache.dir="$_home/lib" -Dnvae.home="$_root" \
      -Dnvae.stderr.tty=false -jar "$_home/lib/nvae.jar" "$@" >/dev/null 2> >(grep -v 'Using incubator modules' >&2)
  }
  _record() {
    _box_jvm=(-Xshare:off -XX:DumpLoadedClassList="$_work/$1.classes")
    _box "$@"
    _box_jvm=()
  }
  echo "startup-cache: recording the classes of sample, encode and evaluate" >&2
  _box train --data testdata --limit 512 --epochs 1 --no-progress --out "$_work/model.safetensors"
  _record sample --model "$_work/model.safetensors" --n 100 --format npy --out "$_work/samples.npy"
  _record encode --model "$_work/model.safetensors" --data testdata --out "$_work/latents.npy"
  _record evaluate --model "$_work/model.safetensors" --data testdata --json
  cat "$_work"/*.classes | grep -v -E '^(#|@)' | sed 's/ .*//' | grep -v -E '\$\$|/0x' >"$_work/classes.all"
  LC_ALL=C sort -u "$_work/classes.all" >"$_work/classes.lst"
  find "$_home" -exec touch -h -d "@$_epoch" {} +
  echo "startup-cache: dumping $(wc -l <"$_work/classes.lst") classes" >&2
  (cd "$_home" && runtime/bin/java "${_flags[@]}" -Xshare:dump -XX:SharedClassListFile="$_work/classes.lst" \
    -XX:SharedArchiveFile=lib/nvae.aot -Xlog:cds=error -Xlog:aot=error -cp lib/nvae.jar >/dev/null \
    2> >(grep -v 'Using incubator modules' >&2))
  touch -h -d "@$_epoch" "$_home/lib/nvae.aot" "$_home/lib"
}
