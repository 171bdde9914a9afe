import P2MModel
import Testing

/// One architecture the oracle image is built for, and how QEMU runs it.
struct OracleTarget: Sendable, CustomTestStringConvertible {
    var architecture: Architecture
    /// `build.sh`'s name for it; the image is `oracle-<name>.elf`.
    var name: String
    var qemu: String
    var cpu: String
    /// The Embedded Swift target whose support library the build needs.
    var embeddedTriple: String
    /// ESR_EL2.EC / HSR.EC of the guest's HVC (0x16 from AArch64, 0x12 from AArch32).
    var hvcExceptionClass: UInt64
    /// The AT instruction the image uses.
    var atInstruction: String
    /// Addresses the AT instruction can take. AArch32's ATS12NSOPR takes a
    /// 32-bit VA, and with stage 1 off the IPA is that VA, so IPAs at or above
    /// 4 GiB cannot be probed there (nil: no limit below the 64-bit space).
    var inputLimit: UInt64?

    static let arm64 = OracleTarget(architecture: .arm64, name: "arm64", qemu: "qemu-system-aarch64", cpu: "cortex-a57",
                                    embeddedTriple: "aarch64-none-none-elf", hvcExceptionClass: 0x16, atInstruction: "AT S12E1R", inputLimit: nil)
    static let arm32 = OracleTarget(architecture: .arm32LPAE, name: "arm32", qemu: "qemu-system-arm", cpu: "cortex-a15",
                                    embeddedTriple: "armv7-none-none-eabi", hvcExceptionClass: 0x12, atInstruction: "ATS12NSOPR", inputLimit: 1 << 32)
    static let all = [arm64, arm32]

    var testDescription: String { name }
}
