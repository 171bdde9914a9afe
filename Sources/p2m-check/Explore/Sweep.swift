import P2MModel
import SpecFormat

/// `--sweep NAME.FIELD=LO..HI:STEP`: one field of one named spec entry
/// (for example `dom0.memory` or `dom0-initrd.size`) set to each value from LO
/// to HI inclusive in steps of STEP, explore run on each.
struct Sweep {
    /// Largest number of values one sweep may run.
    static let maximumValues: UInt64 = 4096

    var label: String
    var path: JSONPointer
    var values: [UInt64]
    /// Sizes print as "128M"; addresses as hex.
    var isSize: Bool

    /// - Throws: `ExploreError.badArgument` for malformed text, an unknown entry or field, or an empty or too long range.
    init(_ text: String, template: SpecTemplate) throws(ExploreError) {
        let usage = "expected --sweep NAME.FIELD=LO..HI:STEP, e.g. dom0.memory=128M..2G:128M"
        guard let eq = text.firstIndex(of: "="), let dot = text[..<eq].lastIndex(of: ".") else { throw .badArgument("--sweep \(text): \(usage)") }
        let name = String(text[..<dot])
        let field = String(text[text.index(after: dot)..<eq])
        let rangeText = text[text.index(after: eq)...]
        guard let dots = rangeText.range(of: ".."), let colon = rangeText.lastIndex(of: ":"), dots.upperBound <= colon else {
            throw .badArgument("--sweep \(text): \(usage)")
        }
        func number(_ s: Substring) throws(ExploreError) -> UInt64 {
            do { return try SizeLiteral.parse(String(s)) } catch { throw .badArgument("--sweep \(text): \(error.description)") }
        }
        let lo = try number(rangeText[..<dots.lowerBound])
        let hi = try number(rangeText[dots.upperBound..<colon])
        let step = try number(rangeText[rangeText.index(after: colon)...])
        guard step > 0, lo <= hi else { throw .badArgument("--sweep \(text): need LO <= HI and STEP > 0") }
        guard (hi - lo) / step < Self.maximumValues else { throw .badArgument("--sweep \(text): more than \(Self.maximumValues) values") }
        guard let entry = template.entry(named: name) else { throw .badArgument("--sweep \(text): no entry named \"\(name)\" in the spec") }
        let target = entry.appending(key: field)
        guard template.value(at: target) != nil else { throw .badArgument("--sweep \(text): \(entry.displayString) has no field \"\(field)\"") }
        label = "\(name).\(field)"
        path = target
        values = stride(from: lo, through: hi, by: Int(step)).map { $0 }
        isSize = ["memory", "size", "footprint"].contains(field)
    }

    func text(_ value: UInt64) -> String { isSize ? SizeText.format(value) : Hex.format(value) }

    /// The template with the swept field set to `value`.
    func template(_ base: SpecTemplate, value: UInt64) throws(ExploreError) -> SpecTemplate {
        try SpecTemplate(root: base.substituting([path: text(value)]))
    }

    /// One table cell for an explore outcome: "proved", "violated: load-disjoint", "build refused: ...", "no layout: ...".
    static func verdict(_ outcome: Explorer.Outcome) -> String {
        switch outcome {
        case .unknown(let reason): return "unknown: \(reason)"
        case .noLayout(let explanation): return "no layout: \(explanation.headline)"
        case .completed(_, _, let run, _):
            switch run.result {
            case .badInput(let problem): return "bad input: \(problem.message)"
            case .buildFailed(let error, _): return "build refused: \(error)"
            case .checked(_, _, let results):
                let violated = results.filter { if case .violated = $0.verdict { return true } else { return false } }.map(\.property.rawValue)
                if !violated.isEmpty { return "violated: " + violated.joined(separator: ", ") }
                let unknown = results.filter { if case .unknown = $0.verdict { return true } else { return false } }.map(\.property.rawValue)
                if !unknown.isEmpty { return "unknown: " + unknown.joined(separator: ", ") }
                return "proved"
            }
        }
    }
}
