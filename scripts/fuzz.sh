#!/usr/bin/env bash
# `make fuzz`: mutated scenario files (structure, numeric extremes, link cycles, long strings,
# bytes that are not UTF-8) into the loader, the engine and every report renderer.
# An input that crashes the fuzzer is kept under Tests/Regressions/, where a test runs every
# file through `rehearse run` for good (exit 0, 1 or 2, never a signal).
#
#   scripts/fuzz.sh SECONDS SEED
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; seed=${2:-1}
.build/release/rehearse-bench fuzz "$seconds" "$seed"
status=$?
if [ $status -gt 128 ] && [ -f "fuzz-running-$seed.yaml" ]; then
  kept="Tests/Regressions/fuzz-crash-seed-$seed-$(date +%Y%m%d-%H%M%S).yaml"
  mv "fuzz-running-$seed.yaml" "$kept"
  echo "fuzz: crashed (signal $((status - 128))); the input is kept as $kept — commit it with the fix"
  exit 1
fi
for hang in fuzz-hang-"$seed"-*.yaml; do
  [ -f "$hang" ] && mv "$hang" "Tests/Regressions/" && echo "fuzz: kept Tests/Regressions/$hang"
done
exit $status
