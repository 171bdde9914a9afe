import P2MModel
import Stage2Decoder
import Z3

/// Concrete translation over decoded runs, used to re-check Z3's models.
enum Translation {
    /// Index of the run whose guest range holds `g` (runs are sorted by guest address and disjoint).
    static func run(containing g: GuestAddress, in runs: [TranslationRun]) -> Int? {
        var low = 0
        var high = runs.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if runs[mid].guest.contains(g) { return mid }
            if runs[mid].guest.base > g { high = mid - 1 } else { low = mid + 1 }
        }
        return nil
    }

    static func translate(_ g: GuestAddress, by run: TranslationRun) -> MachineAddress {
        MachineAddress(run.machine.rawValue &+ (g.rawValue &- run.guest.base.rawValue))
    }
}

extension Verdict {
    /// The verdict over several queries: violated if any is, else unknown if
    /// any is, else proved. With no query at all, proved (nothing to prove).
    static func combining(_ verdicts: [Verdict]) -> Verdict {
        let violations = verdicts.flatMap { v -> [Violation] in
            if case .violated(let list) = v { return list }
            return []
        }
        if !violations.isEmpty { return .violated(violations) }
        for v in verdicts { if case .unknown = v { return v } }
        return .proved
    }
}
