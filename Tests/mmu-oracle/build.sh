#!/usr/bin/env bash
# Builds the bare-metal MMU oracle image for arm64: P2MModel and Hypervisor
# compiled unchanged from Sources/ as Embedded Swift (as .ci/embedded-check
# does), the shared board and plan format, the image's own Swift, and the
# start-up assembly and C support, linked at 0x40080000.
#
# Usage: Tests/mmu-oracle/build.sh OUTDIR     -> OUTDIR/oracle-arm64.elf
# Rebuilds only when a source is newer than the image. Exit 0 on success.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:?usage: build.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
image="$out/oracle-arm64.elf"

swiftc="${SWIFTC:-$(command -v swiftc)}"
bindir="$(dirname "$(readlink -f "$swiftc")")"
clang="$bindir/clang"
lld="$bindir/ld.lld"
target=aarch64-none-none-elf

sources=$(find "$root/Sources/P2MModel" "$root/Sources/Hypervisor" "$here/Shared" "$here/Image" -type f | sort)
if [ -f "$image" ] && [ -z "$(find $sources "$0" -newer "$image" 2>/dev/null)" ]; then
  echo "mmu-oracle: $image is up to date"
  exit 0
fi

work=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
swiftflags=(-target "$target" -enable-experimental-feature Embedded -wmo -parse-as-library -Osize)

"$swiftc" "${swiftflags[@]}" -module-name P2MModel \
  -emit-module -emit-module-path "$work/P2MModel.swiftmodule" \
  -c $(find "$root/Sources/P2MModel" -name '*.swift' | sort) -o "$work/P2MModel.o"
"$swiftc" "${swiftflags[@]}" -module-name Hypervisor -I "$work" \
  -emit-module -emit-module-path "$work/Hypervisor.swiftmodule" \
  -c $(find "$root/Sources/Hypervisor" -name '*.swift' | sort) -o "$work/Hypervisor.o"
"$swiftc" "${swiftflags[@]}" -module-name Oracle -I "$work" \
  -import-bridging-header "$here/Image/oracle.h" \
  -c $(find "$here/Shared" "$here/Image" -name '*.swift' | sort) -o "$work/Oracle.o"

cflags=(--target=aarch64-none-elf -ffreestanding -fno-builtin -nostdlib -mgeneral-regs-only -O2 -I "$here/Image")
"$clang" "${cflags[@]}" -c "$here/Image/arm64/start.S" -o "$work/start.o"
"$clang" "${cflags[@]}" -c "$here/Image/support.c" -o "$work/support.o"

"$lld" -T "$here/Image/arm64/link.ld" --gc-sections -e _start -o "$work/oracle.elf" \
  "$work/start.o" "$work/Oracle.o" "$work/Hypervisor.o" "$work/P2MModel.o" "$work/support.o" \
  "$bindir/../lib/swift/embedded/$target/libswiftUnicodeDataTables.a"
mv "$work/oracle.elf" "$image"
echo "mmu-oracle: built $image"
