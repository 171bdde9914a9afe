#!/usr/bin/env bash
# Writes stand-ins for the files the example boot script and ImageBuilder
# config load: each has the real header of its kind (arm64 Image, zImage,
# uImage, cpio, gzip) and the length of a typical build; the rest is zeros
# (sparse files, so they take no disk space). Usage: make-boot-files.sh DIR
set -euo pipefail
dir=${1:?usage: make-boot-files.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/arndale" "$dir/zcu102/zynqmp-dom1"

bytes() { printf "$(printf '\\x%02x' "$@")"; }
le32() { bytes $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
be32() { bytes $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
le64() { le32 $(($1 & 0xffffffff)); le32 $(($1 >> 32)); }
zeros() { printf "%*s" "$1" "" | tr ' ' '\0'; }

# arm64 Image header (Linux booting.rst; Xen's arm64 head.S has the same):
# code0 code1, text_offset, image_size (.bss included), flags (bit 3: anywhere), 3 reserved, "ARM\x64".
arm64_image() { # FILE LENGTH IMAGE_SIZE
  { zeros 8; le64 0; le64 "$3"; le64 10; le64 0; le64 0; le64 0; printf 'ARM\x64'; le32 64; } > "$1"
  truncate -s "$2" "$1"
}
# arm32 zImage header: magic 0x016f2818 at 0x24, start and end at 0x28, 0x2c (Xen: start 0, end _end - start).
zimage() { # FILE LENGTH END
  { zeros 36; le32 0x016f2818; le32 0; le32 "$3"; } > "$1"
  truncate -s "$2" "$1"
}
# Legacy uImage header (big-endian): magic, hcrc, time, size, load, ep, dcrc, os, arch, type, comp, name.
uimage() { # FILE PAYLOAD_FILE LOAD TYPE
  local size; size=$(stat -c %s "$2")
  { be32 0x27051956; be32 0; be32 0; be32 "$size"; be32 "$3"; be32 "$3"; be32 0
    bytes 5 2 "$4" 0; printf '%-32s' example | tr ' ' '\0'; cat "$2"; } > "$1"
}
cpio() { { printf '070701'; zeros 104; } > "$1"; truncate -s "$2" "$1"; }

# Arndale (arm32): Xen wrapped as a uImage that bootm copies to 0x42000000,
# a zImage dom0 kernel and an initrd, and the board's tree.
zimage "$dir/arndale/xen" 901120 1179648
uimage "$dir/arndale/xen-uImage" "$dir/arndale/xen" 0x42000000 2
rm "$dir/arndale/xen"
zimage "$dir/arndale/zImage" 5767168 5767168
cpio "$dir/arndale/initrd.cpio" 7340032
cp "$here/arndale/arndale.dtb" "$dir/arndale/"

# ZCU102 (arm64), the files of zcu102/imagebuilder.config.
arm64_image "$dir/zcu102/xen" 1015808 1245184
arm64_image "$dir/zcu102/Image-dom0" 27394560 29884416
cpio "$dir/zcu102/dom0-ramdisk.cpio" 25165824
arm64_image "$dir/zcu102/zynqmp-dom1/Image-domU" 27394560 29884416
cpio "$dir/zcu102/zynqmp-dom1/domU-ramdisk.cpio" 8388608
cp "$here/zcu102/zcu102.dtb" "$dir/zcu102/mpsoc.dtb"
echo "boot files written under $dir"
