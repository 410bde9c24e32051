# The JVM flags of every nvae launcher: ./nvae in a checkout and bin/nvae in a distribution (which
# carries a copy of this file as lib/jvm-flags.sh). Sourced by both, POSIX sh; paths are added by each
# launcher, so every flag here is one word without spaces.
#
#   nvae_jvm_flags [COMMAND]    sets NVAE_JVM_FLAGS (COMMAND: the nvae command to run, e.g. train)

nvae_jvm_flags() {
  # The incubating Vector API and FFM's native access; the parallel collector.
  # -Xmn32m: a small fixed young generation. Steady-state steps allocate nothing, but JIT warm-up (the
  # Vector API boxes every vector until C2 compiles a kernel) makes ~1 GB of short-lived garbage; with the
  # default young generation (a share of RAM) that garbage becomes ~650 MB of resident heap in a training
  # run, with 32 MB the whole process stays near 300 MB.
  NVAE_JVM_FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmn32m -Xss4m"
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
  case ${1:-} in
    train | demo)
      NVAE_JVM_FLAGS="$NVAE_JVM_FLAGS -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.nvae.kernels.*::*,0.05" ;;
  esac
}
