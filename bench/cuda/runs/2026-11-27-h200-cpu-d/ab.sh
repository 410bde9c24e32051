#!/usr/bin/env bash
# throwaway: -XX:-UseProfiledLoopPredicate (the working tree's launcher/jvm-flags.sh, train only) against the committed flags
set -u
ROOT=$(pwd); DIR=$ROOT/target/cpu; W=/tmp/nvae-final; H=$W/nvae; B=$W/base-home
rm -rf $W; mkdir -p $H/bin $H/lib $W/fm $W/s $W/s2 $W/base
( xz -dc $DIR/runtime.tar.xz | tar -C $H -xf - & xz -dc $DIR/nvae.jar.xz > $H/lib/nvae.jar & xz -dc $DIR/onednn.tar.xz | tar -C $H/lib -xf - &
  for f in $DIR/fashion-mnist/*.xz; do xz -dc $f > $W/fm/$(basename ${f%.xz}) & done; wait )
cp dist/bin/nvae $H/bin/; cp launcher/jvm-flags.sh $H/lib/; chmod 755 $H/bin/nvae
EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
find $H/lib/natives -exec touch -h -d "@$EPOCH" {} +
$H/bin/nvae info > /dev/null 2>&1
cp -a $H $B && cp $DIR/jvm-flags.committed.sh $B/lib/jvm-flags.sh
. dist/startup-cache.sh; nvae_startup_cache $H $W/s $EPOCH $ROOT 2>/dev/null; nvae_startup_cache $B $W/s2 $EPOCH $ROOT 2>/dev/null
ln -s $B/bin/nvae $W/base/nvae
grep -c UseProfiledLoopPredicate $H/lib/jvm-flags.sh $B/lib/jvm-flags.sh > $OUT/diag.txt
run() { # name home
  local name=$1 home=$2
  NVAE_JAVA_OPTS="-Dnvae.debug.steps=true -Xlog:deoptimization=debug:file=$W/$name.log" $home/bin/nvae train --data $W/fm --epochs 2 --seed 0 --no-progress --out $W/t.safetensors > $W/$name.json 2> $W/$name.err
  echo "$name $(grep -h examples_per_s $W/$name.json | sed 's/.*"examples_per_s":\([0-9.]*\).*/\1/' | tr '\n' ' ') adam-traps $(grep -c 'Elementwise.adam' $W/$name.log) steps $(grep STEP $W/$name.err | awk '{d=$4-p; p=$4; printf "%d ", d}' | cut -c1-120)" >> $OUT/diag.txt
}
for r in 1 2; do run base$r $B; run flag$r $H; done
python3 bench/compare --nvae $H/bin/nvae --baseline $W/base --data $W/fm --python $(command -v python3) --only whole --repeats ${REPEATS:-3} --out $OUT/RESULTS.md > $W/compare.out 2>&1
echo "compare rc $?" >> $OUT/diag.txt
tail -12 $W/compare.out >> $OUT/diag.txt
cd $W && tar czf $OUT/logs.tgz *.log *.err *.json compare.out 2>/dev/null
