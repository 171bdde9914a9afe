#!/usr/bin/env bash
# The MMU oracle (Tests/mmu-oracle): the hypervisor's p2m code runs at EL2 under
# QEMU and the emulated MMU's stage-2 walks are compared with the checker's
# decoded tables. `swift test` already ran it (QEMU comes from 40-qemu.apt);
# this step re-runs it with P2M_REQUIRE_QEMU=1, so that in CI a missing QEMU or
# Embedded Swift toolchain fails instead of skipping. The image is cached in
# .build/mmu-oracle by then, so this takes seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v qemu-system-aarch64 >/dev/null || { echo "qemu-system-aarch64 missing (40-qemu.apt installs qemu-system-arm)"; exit 1; }
P2M_REQUIRE_QEMU=1 swift test --filter MMUOracle
