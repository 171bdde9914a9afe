#!/usr/bin/env bash
# import-uboot and import-imagebuilder on the shipped examples (specs/examples):
# the Arndale script and the ZCU102 ImageBuilder config prove; the bring-up's
# script, whose dom0 kernel is loaded but never declared, exits 1 with the
# xenheap over it. The example trees are rebuilt from their .dts with dtc.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash specs/examples/make-boot-files.sh "$work/files"
for board in arndale zcu102; do
  dtc -q -I dts -O dtb -o "$work/$board.dtb" "specs/examples/$board/$board.dts"
done
cp "$work/arndale.dtb" "$work/files/arndale/arndale.dtb"
cp "$work/zcu102.dtb" "$work/files/zcu102/mpsoc.dtb"

swift run -q p2m-check import-uboot specs/examples/arndale/boot.cmd --files "$work/files/arndale" -o "$work/arndale.json"
swift run -q p2m-check "$work/arndale.json" >/dev/null

swift run -q p2m-check import-uboot specs/examples/arndale/boot-hack.cmd --files "$work/files/arndale" -o "$work/hack.json" 2>"$work/notes.txt"
grep -qF 'at 0xbe000000 is loaded but no /chosen module declares it' "$work/notes.txt"
set +e
swift run -q p2m-check "$work/hack.json" >"$work/hack.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 for the undeclared kernel, got $rc"; exit 1; }
grep -qF 'xenheap [0xbc000000, 0xc0000000) overlaps undeclared-zImage' "$work/hack.txt"

swift run -q p2m-check import-imagebuilder specs/examples/zcu102/imagebuilder.config --files "$work/files/zcu102" \
  --script "$work/boot.source" -o "$work/zcu102.json" 2>/dev/null
grep -qF 'booti 0x6600000 - 0x6800000' "$work/boot.source"
swift run -q p2m-check "$work/zcu102.json" >/dev/null
echo "boot files: examples import and check as expected"
