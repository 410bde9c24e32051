# The JVM flags of every nvae launcher: ./nvae in a checkout and bin/nvae in a distribution (which
# carries a copy of this file as lib/jvm-flags.sh). Sourced by both, POSIX sh; paths are added by each
# launcher, so every flag here is one word without spaces.
#
#   nvae_jvm_flags [COMMAND [ARGS...]]   sets NVAE_JVM_FLAGS (COMMAND ARGS: the nvae command line to run)
#   nvae_utf8_file_names                  exports a UTF-8 LC_CTYPE where the locale is C, POSIX or none
#   nvae_check_environment                the NVAE_* switches and NVAE_CPUS, or one line and status 1
#   nvae_check_java_opts                  every word of NVAE_JAVA_OPTS a JVM flag (not -version, -jar, ...), or one line and status 1
#   nvae_names_collector OPTS             whether OPTS name a garbage collector

nvae_jvm_flags() {
  # The incubating Vector API and FFM's native access; the parallel collector.
  # -Xmn32m: a small fixed young generation. Steady-state steps allocate nothing, but JIT warm-up (the
  # Vector API boxes every vector until C2 compiles a kernel) makes ~1 GB of short-lived garbage; with the
  # default young generation (a share of RAM) that garbage becomes ~650 MB of resident heap in a training
  # run, with 32 MB the whole process stays near 300 MB.
  # A collector named in NVAE_JAVA_OPTS replaces the parallel one (nvae_names_collector).
  # Options in NVAE_JAVA_OPTS that size the young generation, or a heap too small to hold 32 MB of it beside an
  # old one, leave the young generation to the JVM (nvae_sizes_young_generation): -Xmx10m with -Xmn32m made
  # the JVM warn twice about sizes the user had not chosen.
  _nvae_gc=-XX:+UseParallelGC
  nvae_names_collector "${NVAE_JAVA_OPTS:-}" && _nvae_gc=
  _nvae_young=-Xmn32m
  nvae_sizes_young_generation "${NVAE_JAVA_OPTS:-}" && _nvae_young=
  NVAE_JVM_FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $_nvae_gc $_nvae_young -Xss4m"
  # -XX:CompileThresholdScaling=2: a short command (sample, evaluate) is bound by JIT compilation on two
  # cores — CITime counts ~1.0 s of C1+C2 work in a 1.1 s `sample --n 1000` — mostly of JDK code that runs
  # only while starting (class-file generation for method handles and FFM stubs, jar reading). Compiling at
  # twice the invocation counts drops much of it; the training and decoding loops still reach C2 within
  # their first batches. Measured: 10,000 samples to NPY 1.13 -> 0.94, 1.22 -> 1.18, 1.10 -> 1.02 s
  # (medians of 7, three pairs); steady-state training unchanged within this host's noise. Whole training
  # runs gain from no other value (train --epochs 3 on Fashion-MNIST, fastest of 3 runs: 10.23 s at 2,
  # 10.65 s at 1, 10.39 s at 0.5, 10.82 s at 0.25; 27 s without tiered compilation), so every command
  # keeps this one.
  NVAE_JVM_FLAGS="$NVAE_JVM_FLAGS -XX:CompileThresholdScaling=2"
  # Training (train, and demo, which trains) also compiles the kernels (dev.nvae.kernels: the Vector API
  # loops of Adam, the loss, the GEMMs, the convolutions) with C2 at a twentieth of the invocation counts.
  # Before C2 they run interpreted or in C1, which boxes every vector: the first Adam step alone (1.1 M
  # floats) took 0.5 s, and the first 10 steps 1.4 s against 0.05 s at full speed. Measured (train
  # --epochs 2 on Fashion-MNIST, default backend, 4 alternating pairs): first epoch 12,713-13,330 examples/s
  # against 9,955-12,108, whole run 7.82-8.02 s against 8.22-10.53 s. `sample` keeps the plain setting:
  # there the same option cost 0.04 s of 0.68 (10,000 samples to NPY, medians of 8).
  # On 8 or more processors training also runs without C2's profiled loop predicates
  # (-XX:-UseProfiledLoopPredicate). With 16 threads sharing Adam's update, C2's code for the Adam kernel
  # failed such a predicate ("profile_predicate" deoptimisations in -Xlog:deoptimization=debug, 18-22 per run;
  # on 2 cores only its first, on-stack compilation, once) and was recompiled up to six times in the first
  # second of training, every thread back in the interpreter's boxed vectors each time: a stall of 1.0-1.7 s
  # in the first 60 steps (bench/cuda/runs/2026-11-27-h200-cpu-b, -c). Measured on that 16-core Xeon
  # (bench/cuda/cpu-compare with the old flags as its baseline, bench/cuda/runs/2026-11-27-h200-cpu-d):
  # `train --epochs 3` 5.66 / 6.39 / 5.94 s against 7.85 / 7.15 / 7.85 s (PyTorch 19.58 s), first epoch at
  # 0.55 of the second against 0.33, no such deoptimisation left; later epochs 1-3% slower. On the 2-core
  # Zen 4 host a whole 3-epoch run stayed where it was (medians 9.25 against 9.33 s) and epochs 2-5 ran
  # 1-7% slower (4 of 4 alternating pairs), so fewer processors keep C2's default. NVAE_CPUS overrides
  # the count getconf reports.
  case ${1:-} in
    train | demo)
      NVAE_JVM_FLAGS="$NVAE_JVM_FLAGS -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.nvae.kernels.*::*,0.05"
      _nvae_cpus=${NVAE_CPUS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
      case $_nvae_cpus in '' | *[!0-9]*) _nvae_cpus=1 ;; esac
      if [ "$_nvae_cpus" -ge 8 ]; then NVAE_JVM_FLAGS="$NVAE_JVM_FLAGS -XX:-UseProfiledLoopPredicate"; fi ;;
  esac
  # `sample` on oneDNN writing NPY or a grid compiles with C1 alone (-XX:TieredStopAtLevel=1). Its products
  # run in oneDNN's native code; what runs in Java is start-up, the noise and the output, and C2's compilations
  # of it compete with the work for two cores. Measured: 10,000 samples to NPY 0.46-0.56 s against 0.58-0.66 s
  # (8 alternating pairs); a 10-sample grid 0.41-0.61 s against 0.52-0.64 s (35 of 36 runs against 14); 10^6 samples
  # to NPY 9.6-10.1 s against 8.9-11.6 s (3 pairs: no difference; since every decoded image is checked for
  # non-finite values, only up to NVAE_QUICK_JIT_MAX_N samples a class, below). IDX (50,000 samples 1.52-1.59 against 1.20-1.32 s: its byte conversion
  # wants C2) and PNG files keep the full JIT. The Vector API needs C2 (C1 boxes every vector: 10,000 samples
  # on the vector backend took 25 s against 1.4 s), so this is given only where the command will run on oneDNN
  # at fp32: --backend onednn, or auto (the default) on a CPU with AVX2, where auto picks oneDNN. Should the JVM
  # open another backend after all (oneDNN failing to load), the command runs itself again in a JVM with the
  # full JIT (QuickJit); -Dnvae.jit.quick tells it. NVAE_QUICK_JIT=0 turns this off.
  if [ "${1:-}" = sample ] && nvae_sample_runs_on_onednn "$@"; then
    NVAE_JVM_FLAGS="$NVAE_JVM_FLAGS -XX:TieredStopAtLevel=1 -Dnvae.jit.quick=true"
  fi
}

# True when the JVM options in $1 (split on spaces, tabs and newlines, as the launchers split them) name a
# garbage collector. The JVM refuses two ("Multiple garbage collectors selected"), so a launcher leaves its own
# out when the user names one; spark/local asks too. (Matching " $1 " found no collector after a tab.)
nvae_names_collector() {
  _nvae_found=1
  _nvae_noglob=$(case $- in *f*) echo y ;; esac)
  set -f
  for _nvae_word in ${1:-}; do
    case $_nvae_word in
      -XX:+UseSerialGC | -XX:+UseParallelGC | -XX:+UseG1GC | -XX:+UseZGC | -XX:+UseShenandoahGC | -XX:+UseEpsilonGC) _nvae_found=0 ;;
    esac
  done
  [ -n "$_nvae_noglob" ] || set +f
  return $_nvae_found
}

# True when the JVM options in $1 size the young generation themselves (-Xmn, -XX:NewSize, -XX:MaxNewSize,
# -XX:NewRatio) or give a heap, initial or maximum, under 96 MB (the last of each counts, as the JVM takes it): a
# fixed 32 MB young generation wants a heap three times its size, the share the JVM's default ratio gives it. A size
# the JVM would refuse is left to the JVM to refuse. Plain sh, no external commands.
nvae_sizes_young_generation() {
  _nvae_found=1
  _nvae_max=
  _nvae_initial=
  _nvae_noglob=$(case $- in *f*) echo y ;; esac)
  set -f
  for _nvae_word in ${1:-}; do
    case $_nvae_word in
      -Xmn* | -XX:NewSize=* | -XX:MaxNewSize=* | -XX:NewRatio=*) _nvae_found=0 ;;
      -Xmx*) _nvae_max=${_nvae_word#-Xmx} ;;
      -XX:MaxHeapSize=*) _nvae_max=${_nvae_word#*=} ;;
      -Xms*) _nvae_initial=${_nvae_word#-Xms} ;;
      -XX:InitialHeapSize=*) _nvae_initial=${_nvae_word#*=} ;;
    esac
  done
  [ -n "$_nvae_noglob" ] || set +f
  nvae_size_below_96m "$_nvae_max" && _nvae_found=0
  nvae_size_below_96m "$_nvae_initial" && _nvae_found=0
  return $_nvae_found
}

# True when the JVM size $1 (digits, then k, m, g or t in either case, or none for bytes) is under 96 MB. Compared
# digit count first and without multiplying: a shell's arithmetic may be 32-bit (busybox, dash on 32-bit systems).
nvae_size_below_96m() {
  _nvae_digits=${1%[kKmMgGtT]}
  case $_nvae_digits in '' | *[!0-9]*) return 1 ;; esac
  # Leading zeros would make $(( )) and [ ] read octal or longer.
  while :; do case $_nvae_digits in 0?*) _nvae_digits=${_nvae_digits#0} ;; *) break ;; esac; done
  # More digits than any size under 96 MB has in bytes (100663296): not below.
  [ ${#_nvae_digits} -le 9 ] || return 1
  case $1 in
    *[kK]) [ "$_nvae_digits" -lt 98304 ] ;;
    *[mM]) [ "$_nvae_digits" -lt 96 ] ;;
    *[gGtT]) [ "$_nvae_digits" -eq 0 ] ;;
    *) [ "$_nvae_digits" -lt 100663296 ] ;;
  esac
}

# The launchers' environment variables, checked before anything runs: one line naming the variable and
# what it takes, and status 1, for a value that would otherwise be read as something else (NVAE_CPUS=abc
# was 1, NVAE_AOT=false was "on") or fail in the shell's own words. Plain sh, no external commands.
nvae_check_environment() {
  for _nvae_var in NVAE_AOT NVAE_STDERR_FILTER NVAE_QUICK_JIT; do
    eval "_nvae_value=\${$_nvae_var:-}"
    case $_nvae_value in
      '' | 0 | 1) ;;
      *) printf 'nvae: %s=%s: expected 0 (off) or 1 (on)\n' "$_nvae_var" "$_nvae_value" >&2; return 1 ;;
    esac
  done
  case ${NVAE_CPUS:-} in
    '') ;;
    0* | *[!0-9]* | ???????*) printf 'nvae: NVAE_CPUS=%s: expected a whole number of processors from 1 to 999999\n' "$NVAE_CPUS" >&2; return 1 ;;
  esac
  # A working directory deleted under the shell: the JVM cannot start there, and said so with a Java stack trace.
  # getcwd fails then (bash's pwd -P fails, dash's prints nothing); a directory that exists under a parent this user
  # cannot enter still has a path, and the JVM starts there.
  _nvae_cwd=$(pwd -P 2>/dev/null) || _nvae_cwd=
  if [ -z "$_nvae_cwd" ]; then
    printf 'nvae: the working directory no longer exists; cd to one that does\n' >&2
    return 1
  fi
  return 0
}

# NVAE_JAVA_OPTS is split at spaces, tabs and newlines, and quotes in it are not read: a quoted value with a
# space (-Dx='a b') became the stray word b', which the JVM took for the main class ("Could not find or load main
# class b'"). Each word must be an option (start with -); anything else is one line naming the variable, status 1.
# The words are not tried on a JVM: that cost a JVM start on every command, and options that write files (a GC
# log, a flight recording) wrote them twice. A flag the JVM itself refuses is said by the JVM.
nvae_check_java_opts() {
  _nvae_noglob=$(case $- in *f*) echo y ;; esac)
  set -f
  _nvae_bad=
  _nvae_other=
  for _nvae_word in ${NVAE_JAVA_OPTS:-}; do
    case $_nvae_word in
      # Options that make java do something else and exit (print its version or help, run another main class):
      # the command never ran, and the exit status was 0.
      -version | --version | -fullversion | --full-version | -help | --help | -h | '-?' | -X | --help-extra | --dry-run | \
        --list-modules | -jar | -cp | -classpath | --class-path | -m | --module | --module=* | --describe-module | \
        --describe-module=* | -d | --validate-modules | -Xshare:dump)
        [ -n "$_nvae_other" ] || _nvae_other=$_nvae_word ;;
      -*) ;;
      *) [ -n "$_nvae_bad" ] || _nvae_bad=$_nvae_word ;;
    esac
  done
  [ -n "$_nvae_noglob" ] || set +f
  if [ -n "$_nvae_other" ]; then
    printf "nvae: NVAE_JAVA_OPTS: '%s' would make java do something other than run nvae; give JVM flags only (such as -Xmx256m)\n" "$_nvae_other" >&2
    return 1
  fi
  [ -z "$_nvae_bad" ] && return 0
  printf "nvae: NVAE_JAVA_OPTS: '%s' is not a JVM option (the value is split at spaces; quotes in it are not read)\n" "$_nvae_bad" >&2
  return 1
}

# True when `sample ARGS...` writes NPY or a grid and will run on oneDNN at fp32 (see above). Plain sh, no
# external commands: a launcher may run with no PATH.
# Measured (2-core AMD EPYC family 26, onednn, NPY to a tmpfs, alternating runs): --n 5000 1.49-1.59 s with C1 alone
# against 2.03-2.10 s; --n 20000 2.14-2.65 against 2.46-2.73; --n 40000 4.30-4.33 against 3.80-5.09; --n 100000
# 13.1-14.6 against 8.5-11.3 s.
NVAE_QUICK_JIT_MAX_N=20000

nvae_sample_runs_on_onednn() {
  [ "${NVAE_QUICK_JIT:-1}" != 0 ] || return 1
  shift
  _nvae_backend=auto
  _nvae_precision=fp32
  _nvae_format=
  _nvae_n=
  while [ $# -gt 0 ]; do
    case $1 in
      --backend) [ $# -gt 1 ] && { _nvae_backend=$2; shift; } ;;
      --backend=*) _nvae_backend=${1#--backend=} ;;
      --precision) [ $# -gt 1 ] && { _nvae_precision=$2; shift; } ;;
      --precision=*) _nvae_precision=${1#--precision=} ;;
      --format) [ $# -gt 1 ] && { _nvae_format=$2; shift; } ;;
      --format=*) _nvae_format=${1#--format=} ;;
      --n) [ $# -gt 1 ] && { _nvae_n=$2; shift; } ;;
      --n=*) _nvae_n=${1#--n=} ;;
    esac
    shift
  done
  [ "$_nvae_precision" = fp32 ] || return 1
  # Above NVAE_QUICK_JIT_MAX_N samples (per class with --class all) the full JIT is quicker: C1 compiles the Java
  # part of every decoded batch (the noise, the finite check, the NPY rows) to slower code, and past the first second
  # or two that outweighs C2's compilations.
  case $_nvae_n in
    '' | *[!0-9]*) ;;
    *) [ "${#_nvae_n}" -le 9 ] && [ "$_nvae_n" -le "$NVAE_QUICK_JIT_MAX_N" ] || return 1 ;;
  esac
  case $_nvae_format in
    [nN][pP][yY] | [gG][rR][iI][dD]) ;;
    *) return 1 ;;
  esac
  case $_nvae_backend in
    onednn) return 0 ;;
    auto) nvae_cpu_has_avx2 ;;
    *) return 1 ;;
  esac
}

nvae_cpu_has_avx2() {
  [ -r /proc/cpuinfo ] || return 1
  while IFS= read -r _nvae_line; do
    case $_nvae_line in
      flags*) case "$_nvae_line " in *" avx2 "*) return 0 ;; *) return 1 ;; esac ;;
    esac
  done </proc/cpuinfo
  return 1
}

# Java reads file names in the locale's character set: under LANG=C or no locale at all (env -i, a systemd
# unit, a bare box) that is ASCII, and a class folder, model or --out named with any other letter fails
# ("Malformed input or input contains unmappable characters"). There the JVM gets C.UTF-8's character set
# (glibc's C.utf8 locale, installed with glibc itself on Debian 12, Ubuntu 22.04 and RHEL 9: Debian's
# libc-bin, RHEL's glibc-minimal-langpack; where it is missing the JVM falls back to ASCII as before); a
# locale the user chose stays. nvae's messages and number formats do not depend on it.
nvae_utf8_file_names() {
  case ${LC_ALL:-${LC_CTYPE:-${LANG:-}}} in
    '' | C | POSIX)
      if [ -n "${LC_ALL:-}" ]; then LC_ALL=C.UTF-8 && export LC_ALL; else LC_CTYPE=C.UTF-8 && export LC_CTYPE; fi ;;
  esac
}
