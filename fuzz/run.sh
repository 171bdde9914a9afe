#!/usr/bin/env bash
# Builds one libFuzzer target of the fuzz package and runs it for a while.
#
#   fuzz/run.sh <target> <seconds> [libFuzzer option ...]
#   fuzz/run.sh SpecDecoderFuzzer 60
#   fuzz/run.sh SpecDecoderFuzzer 1800 -jobs=1 -workers=1
#   fuzz/run.sh SpecDecoderFuzzer 0 fuzz/artifacts/SpecDecoderFuzzer/crash-...   # replay one input
#
# Seeds come from fuzz/corpus/<target>/ plus any folders listed, one per line
# relative to the repository root, in fuzz/corpus/<target>.dirs. New inputs
# are kept in fuzz/.work/<target>/corpus and each run's log in
# fuzz/.work/<target>/run-<time>-<pid>.log (not committed); crashes, hangs and
# out-of-memory inputs are written to fuzz/artifacts/<target>/. A dictionary
# fuzz/dict/<target>.dict is used when it exists.
#
# Environment: FUZZ_CONFIGURATION (debug|release, default debug),
# FUZZ_NICE (niceness, default 19: the fuzzer yields to everything else),
# FUZZ_TIMEOUT (seconds one input may take before it counts as a hang, default 10),
# FUZZ_RSS_MB (memory limit in MB, default 2048).
#
# Exit status: 0 when the run ended with no finding; libFuzzer's status
# (non-zero) when it found a crash, a hang or runaway memory; 2 for bad usage.
set -euo pipefail

usage() { echo "usage: fuzz/run.sh <target> <seconds> [libFuzzer option ...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
target=$1
seconds=$2
shift 2
case "$seconds" in ''|*[!0-9]*) echo "fuzz/run.sh: <seconds> must be a whole number, got '$seconds'" >&2; exit 2 ;; esac

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$fuzz_dir/.." && pwd)
if [ ! -f "$fuzz_dir/Targets/$target/main.swift" ]; then
  echo "fuzz/run.sh: no target '$target'; targets:" $(ls "$fuzz_dir/Targets") >&2
  exit 2
fi
configuration=${FUZZ_CONFIGURATION:-debug}
niceness=${FUZZ_NICE:-19}

echo "== building $target ($configuration, -sanitize=fuzzer,address)"
nice -n "$niceness" swift build --package-path "$fuzz_dir" -c "$configuration" --product "$target" \
  -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "Cannot export local symbol" | tail -n 3
binary="$(swift build --package-path "$fuzz_dir" -c "$configuration" --show-bin-path)/$target"
[ -x "$binary" ] || { echo "fuzz/run.sh: build produced no $binary" >&2; exit 1; }

work="$fuzz_dir/.work/$target"
artifacts="$fuzz_dir/artifacts/$target"
mkdir -p "$work/corpus" "$artifacts"

# Swift's own crash backtracer reads the stack in ways AddressSanitizer
# reports as a stack-buffer-underflow, hiding the real fatal error; leave
# stack traces to libFuzzer.
export SWIFT_BACKTRACE=enable=no

options=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1
         -artifact_prefix="$artifacts/")
[ -f "$fuzz_dir/dict/$target.dict" ] && options+=(-dict="$fuzz_dir/dict/$target.dict")

# Replaying given files: run each once and stop.
if [ "$seconds" = 0 ]; then
  exec nice -n "$niceness" "$binary" "${options[@]}" "$@"
fi

seeds=()
[ -d "$fuzz_dir/corpus/$target" ] && seeds+=("$fuzz_dir/corpus/$target")
if [ -f "$fuzz_dir/corpus/$target.dirs" ]; then
  while read -r dir; do
    case "$dir" in ''|'#'*) continue ;; esac
    seeds+=("$root/$dir")
  done < "$fuzz_dir/corpus/$target.dirs"
fi

log="$work/run-$(date -u +%Y%m%dT%H%M%SZ)-$$.log"
echo "== fuzzing $target for $seconds s (log: ${log#$root/}; seeds: ${#seeds[@]} folders)"
set +e
nice -n "$niceness" "$binary" "${options[@]}" -max_total_time="$seconds" "$@" "$work/corpus" "${seeds[@]}" >"$log" 2>&1
status=$?
set -e
grep -a -E "^(stat::|Done |INFO: Seed|==[0-9]+== ?ERROR|SUMMARY|artifact_prefix|Test unit written|.*(Fatal error|Precondition failed))" "$log" || true
if [ "$status" -ne 0 ]; then
  echo "== $target FOUND A PROBLEM (exit $status); the last lines of the log:"
  tail -n 40 "$log"
  echo "== reproduce with: fuzz/run.sh $target 0 <artifact file above>"
  exit "$status"
fi
echo "== $target: no crash in $seconds s"
