#!/usr/bin/env bash
# import-dtb on real device trees: the ones QEMU generates for its virt machine,
# arm64 with GICv3 and arm32 (LPAE) with GICv2, both with EL2. The imported specs
# must carry QEMU's memory map and prove (the arm64 one once boot modules are
# placed as specs/qemu-virt-arm64.json places them).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
qemu-system-aarch64 -machine virt,gic-version=3,virtualization=on,dumpdtb="$work/virt.dtb" \
  -cpu cortex-a57 -smp 4 -m 4G -nographic >/dev/null 2>&1
swift run -q p2m-check import-dtb "$work/virt.dtb" -o "$work/virt.json" \
  --hypervisor-address 0x40400000 --hypervisor-size 4M --dom0-memory 1G 2>"$work/notes.txt"
cat "$work/notes.txt"
for fact in '"base": "0x40000000"' '"size": "0x100000000"' '"role": "gicd"' '"base": "0x80a0000"' '"role": "its"' \
            '"console": "pl011@9000000"' '"base": "0x8000000000"'; do
  grep -qF "$fact" "$work/virt.json" || { echo "imported spec lacks $fact"; exit 1; }
done
modules='"boot_modules": [ { "name": "dom0-dtb", "kind": "dtb", "load_address": "0x40000000", "size": "1M", "domain": "dom0" }, { "name": "dom0-kernel", "kind": "kernel", "load_address": "0x40a00000", "size": "36M", "footprint": "40M", "domain": "dom0" }, { "name": "dom0-initrd", "kind": "ramdisk", "load_address": "0x44000000", "size": "32M", "domain": "dom0" } ],'
sed -i "s|\"boot_modules\": \[\],|$modules|" "$work/virt.json"
grep -qF '"name": "dom0-kernel"' "$work/virt.json" || { echo "boot modules were not added"; exit 1; }
swift run -q p2m-check "$work/virt.json"

# The same for QEMU's arm32 (Cortex-A15, LPAE) virt machine with GICv2 and EL2.
qemu-system-arm -machine virt,highmem=off,virtualization=on,dumpdtb="$work/virt32.dtb" \
  -cpu cortex-a15 -smp 2 -m 1G -nographic >/dev/null 2>&1
swift run -q p2m-check import-dtb "$work/virt32.dtb" -o "$work/virt32.json" --dom0-memory 256M 2>/dev/null
for fact in '"architecture": "arm32-lpae"' '"role": "gich"' '"base": "0x8030000"' '"role": "gicv"' '"base": "0x8040000"'; do
  grep -qF "$fact" "$work/virt32.json" || { echo "imported arm32 spec lacks $fact"; exit 1; }
done
swift run -q p2m-check "$work/virt32.json"
