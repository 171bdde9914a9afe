/// The CPU architecture of the board, which fixes the descriptor format's
/// reachable sizes and Xen's stage-2 configuration rows.
public enum Architecture: String, Sendable, CaseIterable {
    /// 32-bit ARMv7-A with the Large Physical Address Extension (e.g. Cortex-A15).
    case arm32LPAE = "arm32-lpae"
    /// ARMv8-A AArch64.
    case arm64 = "arm64"
}
