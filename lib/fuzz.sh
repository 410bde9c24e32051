#!/usr/bin/env bash
# Fuzzes one parser with Jazzer for a bounded time, e.g.
#   lib/fuzz.sh SafeTensorsFuzzTest 3m
# Crashing inputs land in lib/src/test/resources/<package>/<Class>Inputs/<method>/ (commit them once fixed:
# the normal test run replays that directory); the generated corpus stays in lib/.cifuzz-corpus (not committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
test_class="${1:?usage: lib/fuzz.sh <FuzzTestClass>[#method] [max duration, e.g. 3m]}"
export JAZZER_FUZZ=1
[[ -n "${2:-}" ]] && export JAZZER_MAX_DURATION="$2"
exec ./nvae mvn -q test -pl lib -am -Dtest="$test_class" -Dsurefire.failIfNoSpecifiedTests=false
