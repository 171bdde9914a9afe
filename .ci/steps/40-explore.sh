#!/usr/bin/env bash
# explore: the Arndale spec with every address "auto" is solved and the solved
# spec proves under plain `p2m-check`; the impossible spec exits 1 and names the
# conflicting items; a new board (QEMU's arm64 virt DTB, imported) gets its
# boot modules placed and the largest dom0 that proves.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift run -q p2m-check explore specs/explore/arndale-auto.json -o "$work/arndale.json"
swift run -q p2m-check "$work/arndale.json" >/dev/null

set +e
swift run -q p2m-check explore specs/explore/arndale-impossible.json -o "$work/none.json" >"$work/why.txt"
rc=$?
set -e
cat "$work/why.txt"
[ "$rc" -eq 1 ] || { echo "expected exit 1 for the impossible spec, got $rc"; exit 1; }
grep -qF 'dom0-initrd (ramdisk, 96M) cannot fit within [0x42000000, 0x48800000) together with dom0-kernel and p2m pool of dom0' "$work/why.txt"

if command -v qemu-system-aarch64 >/dev/null 2>&1; then
  qemu-system-aarch64 -machine virt,gic-version=3,virtualization=on,dumpdtb="$work/virt.dtb" \
    -cpu cortex-a57 -smp 4 -m 2G -nographic >/dev/null 2>&1
  swift run -q p2m-check import-dtb "$work/virt.dtb" -o "$work/virt.json" --hypervisor-size 4M --dom0-memory 1G 2>/dev/null
  modules='"boot_modules": [ { "name": "dom0-dtb", "kind": "dtb", "load_address": "auto", "size": "1M", "domain": "dom0" }, { "name": "dom0-kernel", "kind": "kernel", "load_address": "auto", "size": "36M", "footprint": "40M", "domain": "dom0" }, { "name": "dom0-initrd", "kind": "ramdisk", "load_address": "auto", "size": "32M", "domain": "dom0" } ],'
  sed -i "s|\"boot_modules\": \[\],|$modules|" "$work/virt.json"
  # The hypervisor's address and dom0's memory (the only "memory" that is a string) left to explore.
  sed -i 's|"load_address": "0x[0-9a-f]*"|"load_address": "auto"|; s|"memory": "0x[0-9a-f]*"|"memory": {"auto": {"align": "64M"}}|' "$work/virt.json"
  grep -qF '"memory": {"auto"' "$work/virt.json" || { echo "dom0 memory was not made auto"; exit 1; }
  swift run -q p2m-check explore "$work/virt.json" -o "$work/virt-solved.json" | tee "$work/virt.txt"
  grep -qF 'largest memory that proves: /domains/0/memory' "$work/virt.txt"
  swift run -q p2m-check "$work/virt-solved.json" >/dev/null
fi
