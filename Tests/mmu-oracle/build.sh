#!/usr/bin/env bash
# Builds the bare-metal MMU oracle image for arm64 or arm32 (LPAE): P2MModel and Hypervisor
# compiled unchanged from Sources/ as Embedded Swift (as .ci/embedded-check
# does), the shared board and plan format, the image's own Swift, and the
# start-up assembly and C support, linked at 0x40080000.
#
# Usage: Tests/mmu-oracle/build.sh OUTDIR [arm64|arm32]  -> OUTDIR/oracle-ARCH.elf
# Rebuilds only when a source is newer than the image. Exit 0 on success.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:?usage: build.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
arch="${2:-arm64}"
case "$arch" in
  arm64) target=aarch64-none-none-elf; ctarget=aarch64-none-elf; cextra=(-mgeneral-regs-only) ;;
  arm32) target=armv7-none-none-eabi; ctarget=armv7a-none-eabi; cextra=(-march=armv7-a -mfloat-abi=soft) ;;
  *) echo "build.sh: unknown architecture $arch (arm64 or arm32)" >&2; exit 2 ;;
esac
image="$out/oracle-$arch.elf"

swiftc="${SWIFTC:-$(command -v swiftc)}"
bindir="$(dirname "$(readlink -f "$swiftc")")"
clang="$bindir/clang"
lld="$bindir/ld.lld"

sources=$( (find "$root/Sources/P2MModel" "$root/Sources/Hypervisor" "$here/Shared" "$here/Image/$arch" -type f; find "$here/Image" -maxdepth 1 -type f) | sort)
if [ -f "$image" ] && [ -z "$(find $sources "$0" -newer "$image" 2>/dev/null)" ]; then
  echo "mmu-oracle: $image is up to date"
  exit 0
fi

work=$(mktemp -d "$out/build-$arch.XXXXXX")
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
  -c $(find "$here/Shared" "$here/Image" -maxdepth 1 -name '*.swift' | sort) -o "$work/Oracle.o"

cflags=(--target="$ctarget" "${cextra[@]}" -ffreestanding -fno-builtin -nostdlib -O2 -I "$here/Image")
objects=()
for source in "$here/Image/support.c" $(find "$here/Image/$arch" -name '*.S' -o -name '*.c' | sort); do
  object="$work/$(basename "$source").o"
  "$clang" "${cflags[@]}" -c "$source" -o "$object"
  objects+=("$object")
done

"$lld" -T "$here/Image/$arch/link.ld" --gc-sections -e _start -o "$work/oracle.elf" \
  "$work/Oracle.o" "$work/Hypervisor.o" "$work/P2MModel.o" "${objects[@]}" \
  "$bindir/../lib/swift/embedded/$target/libswiftUnicodeDataTables.a"
mv "$work/oracle.elf" "$image"
echo "mmu-oracle: built $image"
