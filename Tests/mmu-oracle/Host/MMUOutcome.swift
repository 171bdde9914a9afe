import P2MModel

/// What one stage-2 translation of a guest address comes to, in the terms
/// PAR_EL1 reports after `AT S12E1R`: an output address with the memory
/// attributes and shareability, or a fault with its kind, level and stage.
enum MMUOutcome: Hashable, Sendable, CustomStringConvertible {
    case translated(machine: MachineAddress, attributes: UInt8, shareability: UInt8)
    case fault(FaultKind, level: Int, stage: Int)

    enum FaultKind: String, Hashable, Sendable {
        case addressSize = "address-size"
        case translation
        case accessFlag = "access-flag"
        case permission
        case other
    }

    var description: String {
        switch self {
        case .translated(let machine, let attributes, let shareability):
            return "machine \(machine) attr \(Hex.format(UInt64(attributes))) sh \(shareability)"
        case .fault(let kind, let level, let stage):
            return "stage-\(stage) \(kind.rawValue) fault at level \(level)"
        }
    }

    /// Decodes a 64-bit PAR_EL1 (ARM ARM D17.2.113: F, FST, PTW, S; or PA, SH, ATTR).
    init(par: UInt64) {
        if par & 1 == 0 {
            self = .translated(machine: MachineAddress(par & 0x000F_FFFF_FFFF_F000), attributes: UInt8(par >> 56), shareability: UInt8((par >> 7) & 3))
            return
        }
        let fst = (par >> 1) & 0x3F
        let stage = (par >> 9) & 1 == 1 ? 2 : 1
        let level = Int(fst & 3)
        let kind: FaultKind
        switch fst >> 2 {
        case 0b0000: kind = .addressSize
        case 0b0001: kind = .translation
        case 0b0010: kind = .accessFlag
        case 0b0011: kind = .permission
        default: kind = .other
        }
        self = .fault(kind, level: kind == .other ? Int(fst) : level, stage: stage)
    }

    /// The stage-2 fault an ESR_EL2 data abort from EL1 reports (EC 0x24, DFSC), or nil for another exception.
    init?(dataAbortESR esr: UInt64) {
        guard esr >> 26 == 0x24 else { return nil }
        let dfsc = esr & 0x3F
        // PAR's FST and the ESR's DFSC share the encoding; stage 2 because EL1's stage 1 is off.
        self.init(par: 1 | dfsc << 1 | 1 << 9)
    }
}
