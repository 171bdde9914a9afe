#!/usr/bin/env bash
# The README's CI example, run as written on this repository: every spec in
# specs/ (schema.json and *.expect.json are skipped by the default exclude),
# the Raspberry Pi 4 finding accepted by p2m-baseline.json, one SARIF log.
# It must exit 0 and the log must hold the two known findings, suppressed.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -q --product p2m-check
bin=$(swift build --show-bin-path)
PATH="$bin:$PATH"
cd "$work" && ln -s "$OLDPWD/specs" specs && ln -s "$OLDPWD/p2m-baseline.json" p2m-baseline.json
p2m-check hook specs/*.json --baseline p2m-baseline.json --sarif p2m.sarif
grep -q '"status": "accepted"' p2m.sarif
[ "$(grep -c '"status": "accepted"' p2m.sarif)" -eq 2 ] || { echo "expected two suppressed RPi4 findings in p2m.sarif"; exit 1; }
# Without the baseline the finding fails the job.
set +e
p2m-check hook specs/*.json --quiet >/dev/null
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 without the baseline, got $rc"; exit 1; }
echo "README CI example: exit 0 with the baseline, 1 without"
