import Foundation
import Invariants
import P2MModel

/// Small text helpers shared by the reports.
enum Describe {
    /// "/boot_modules/2 (line 14, column 5)".
    static func origin(_ o: SpecOrigin) -> String {
        var s = o.path.isEmpty ? "/" : o.path
        if let line = o.line, let column = o.column { s += " (line \(line), column \(column))" }
        return s
    }

    /// Byte counts in the largest binary unit that divides them: "512M", "4K", "0x1ff".
    static func size(_ bytes: UInt64) -> String {
        for (shift, unit) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where bytes >= (1 << UInt64(shift)) && bytes % (1 << UInt64(shift)) == 0 {
            return "\(bytes >> UInt64(shift))\(unit)"
        }
        return Hex.format(bytes)
    }

    /// A size for people: exact when a unit divides it ("4K", "2M"), else to
    /// one decimal in the largest unit it reaches ("23.5M"), bytes below 1K.
    static func approximateSize(_ bytes: UInt64) -> String {
        for (shift, unit) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where bytes >= (1 << UInt64(shift)) {
            if bytes % (1 << UInt64(shift)) == 0 { return "\(bytes >> UInt64(shift))\(unit)" }
            return String(format: "%.1f", Double(bytes) / Double(UInt64(1) << UInt64(shift))) + unit
        }
        return "\(bytes) bytes"
    }
}
