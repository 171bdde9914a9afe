import P2MModel
import SpecFormat

/// Why no layout exists, in the spec's terms: a headline such as
/// "dom0-initrd (ramdisk, 96M) cannot fit below 0x48000000 together with
/// dom0-kernel and p2m pool of dom0", then each conflicting requirement.
struct ConflictExplanation {
    let constraints: [LayoutConstraint]
    let items: [LayoutItem]
    let spec: BoardSpec

    /// Names of the items involved, in item order.
    var itemNames: [String] {
        Set(constraints.flatMap(\.items)).sorted().map { items[$0].name }
    }

    var headline: String {
        let involved = Set(constraints.flatMap(\.items)).sorted()
        if involved.isEmpty, let c = constraints.first { return c.describe(items, spec: spec) }
        var windows: [Int: String] = [:]
        for c in constraints {
            if case .window(let i, let lo, let hi) = c {
                switch (lo, hi) {
                case (let lo?, let hi?): windows[i] = "within [\(Hex.format(lo)), \(Hex.format(hi)))"
                case (let lo?, nil): windows[i] = "at or above \(Hex.format(lo))"
                case (nil, let hi?): windows[i] = "below \(Hex.format(hi))"
                default: break
                }
            }
        }
        let subject = windows.keys.min() ?? involved.max { items[$0].size < items[$1].size } ?? involved[0]
        let banks = spec.ram.map { "\($0.name) \($0.range)" }.joined(separator: ", ")
        let place = windows[subject] ?? "in RAM (\(banks))"
        let others = involved.filter { $0 != subject }.map { items[$0].name }
        var text = "\(items[subject].name) (\(items[subject].what)) cannot fit \(place)"
        if !others.isEmpty { text += " together with " + Self.list(others) }
        return text
    }

    /// The headline and one line per conflicting requirement.
    func render() -> String {
        // Each line escaped whole: names from the spec cannot start a line of their own.
        var out = "no layout exists: \(PrintableText.escape(headline))\nthese requirements conflict (removing any one of them leaves a layout):\n"
        for c in constraints { out += "  - \(PrintableText.escape(c.describe(items, spec: spec)))\n" }
        return out
    }

    private static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }
}
