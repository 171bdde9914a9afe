#!/usr/bin/env bash
# A short libFuzzer run of every fuzz target (docs/fuzzing.md); each must end
# with no crash, hang or runaway memory. FUZZ_SECONDS overrides the length.
set -euo pipefail
cd "$(dirname "$0")/../.."
for dir in fuzz/Targets/*/; do
  target=$(basename "$dir")
  FUZZ_NICE=0 fuzz/run.sh "$target" "${FUZZ_SECONDS:-20}"
done
