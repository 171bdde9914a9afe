#!/usr/bin/env bash
# The DeviceTree parser is meant to run where the hypervisor runs (and under a
# fuzzer): it must compile as Embedded Swift for aarch64 and armv7 bare metal.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for target in aarch64-none-none-elf armv7-none-none-eabi; do
  swiftc -target "$target" -enable-experimental-feature Embedded -wmo -parse-as-library \
    -module-name DeviceTree -c $(find Sources/DeviceTree -name '*.swift' | sort) -o "$out/DeviceTree-$target.o"
  echo "embedded: DeviceTree compiles for $target"
done
