#!/usr/bin/env bash
# p2m-bench must keep working: small sizes in a debug build (the full run is
# `swift run -c release p2m-bench`, docs/performance.md). Fails if a seeded
# layout is not proved or a reference (pairwise, sort-and-sweep) disagrees.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift run p2m-bench --sizes 300,1000 --pairwise-budget 10
