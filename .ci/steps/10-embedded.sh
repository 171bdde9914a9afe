#!/usr/bin/env bash
# P2MModel and Hypervisor must stay Embedded Swift (aarch64 and armv7 bare metal).
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/embedded-check
