import Invariants
import P2MModel
import SpecFormat

/// Fills a spec's auto fields and checks the completed spec with the normal
/// pipeline, so that what it reports is proved, not just solved.
///
/// Addresses (load addresses, pool bases) are chosen by Z3 (`LayoutSolver`).
/// A domain's `memory: "auto"` is not a Z3 variable: the 1:1 allocator and
/// the table builder are code, not constraints, so explore searches over the
/// real builder and checker for the largest size that proves (binary search
/// over multiples of `align`, default 2M, within [min, max], default
/// [align, all RAM]; the search assumes that a size that proves implies that
/// every smaller one does, and the reported value is itself checked).
struct Explorer {
    /// One value explore chose.
    struct Choice {
        var field: AutoField
        var text: String
        /// The item or domain it belongs to.
        var owner: String
    }

    enum Outcome {
        /// The completed spec and the normal pipeline's run on it.
        case completed(bytes: [UInt8], choices: [Choice], run: CheckRun, note: String?)
        /// No placement satisfies the constraints: why, in the spec's terms.
        case noLayout(ConflictExplanation)
        /// Z3 gave up: nothing is claimed.
        case unknown(String)
    }

    var template: SpecTemplate
    var objectives: [ExploreObjective]
    var options: CheckOptions
    /// Name reported for the completed spec.
    var reportPath: String

    /// - Throws: `ExploreError` when the spec, once filled, is not a valid spec, or an objective names nothing.
    func run() throws(ExploreError) -> Outcome {
        let memoryFields = template.autos.filter { $0.kind == .memory }
        for case .largest(let name) in objectives {
            guard let entry = template.entry(named: name), entry.tokens.first == "domains" else {
                throw .badArgument("objective largest:\(name): no domain named \"\(name)\"")
            }
            guard memoryFields.contains(where: { $0.path == entry.appending(key: "memory") }) else {
                throw .badArgument("objective largest:\(name): set \(entry.appending(key: "memory").displayString) to \"auto\" (optionally with min, max and align); its size is searched over the builder and checker")
            }
        }
        guard !memoryFields.isEmpty else { return try attempt(memories: [:]) }
        let ram = try totalRAM()
        var memories: [JSONPointer: UInt64] = [:]
        var ranges: [JSONPointer: [UInt64]] = [:]
        for f in memoryFields {
            let step = f.alignment ?? (2 << 20)
            let lo = ((f.minimum ?? step) + step - 1) / step * step
            let hi = (f.maximum ?? ram) / step * step
            guard lo <= hi, lo > 0 else { throw .badBounds(f.path, "no multiple of \(SizeText.format(step)) lies within the memory bounds") }
            ranges[f.path] = [lo, hi, step]
            memories[f.path] = lo
        }
        var last = try attempt(memories: memories)
        guard Self.proved(last) else {
            return Self.annotate(last, "even the smallest memory size tried does not prove")
        }
        var tried = 1
        for f in memoryFields {
            guard let r = ranges[f.path] else { continue }
            var good: UInt64 = 0
            var bad = (r[1] - r[0]) / r[2] + 1
            var best = last
            while bad - good > 1 {
                let middle = good + (bad - good) / 2
                memories[f.path] = r[0] + middle * r[2]
                let trial = try attempt(memories: memories)
                tried += 1
                if Self.proved(trial) { good = middle; best = trial } else { bad = middle }
            }
            memories[f.path] = r[0] + good * r[2]
            last = best
        }
        let summary = memoryFields.map { "\($0.path.displayString) = \(SizeText.format(memories[$0.path] ?? 0))" }.joined(separator: ", ")
        return Self.annotate(last, "largest memory that proves: \(summary) (\(tried) sizes built and checked)")
    }

    private static func proved(_ outcome: Outcome) -> Bool {
        if case .completed(_, _, let run, _) = outcome { return run.exitStatus == .proved }
        return false
    }

    private static func annotate(_ outcome: Outcome, _ note: String) -> Outcome {
        if case .completed(let bytes, let choices, let run, _) = outcome { return .completed(bytes: bytes, choices: choices, run: run, note: note) }
        return outcome
    }

    private func totalRAM() throws(ExploreError) -> UInt64 {
        let spec = try decodePlaceholders(memories: [:], defaultMemory: 4096)
        return spec.ram.reduce(0) { $0 + $1.range.size }
    }

    /// Decodes the template with address autos at 0 and memory autos at the given sizes,
    /// so that the decoder validates every other field and yields sizes and RAM.
    private func decodePlaceholders(memories: [JSONPointer: UInt64], defaultMemory: UInt64? = nil) throws(ExploreError) -> BoardSpec {
        var values: [JSONPointer: String] = [:]
        for f in template.autos {
            values[f.path] = f.kind == .address ? "0x0" : SizeText.format(memories[f.path] ?? defaultMemory ?? 4096)
        }
        do { return try SpecDecoder.decode(template.substituting(values)) } catch { throw .spec(error) }
    }

    /// Solves the addresses for fixed memory sizes, then runs the pipeline on the completed spec.
    private func attempt(memories: [JSONPointer: UInt64]) throws(ExploreError) -> Outcome {
        let spec = try decodePlaceholders(memories: memories)
        if template.autos.isEmpty {
            // Nothing to choose (a sweep over a hand-placed spec): the pipeline's verdict is the answer.
            let bytes = Array(SpecTemplate.render(template.root).utf8)
            return .completed(bytes: bytes, choices: [], run: CheckRun.perform(specPath: reportPath, bytes: bytes, options: options, selection: nil), note: nil)
        }
        let items = LayoutItem.items(of: spec, template: template)
        let solver = LayoutSolver(spec: spec, items: items, objectives: objectives, timeoutMilliseconds: options.timeoutMilliseconds)
        let outcome: LayoutSolver.Outcome
        do { outcome = try solver.solve() } catch let error as ExploreError { throw error } catch { return .unknown("Z3: \(error)") }
        switch outcome {
        case .unknown(let reason): return .unknown(reason)
        case .conflict(let constraints): return .noLayout(ConflictExplanation(constraints: constraints, items: items, spec: spec))
        case .solved(let bases):
            var values: [JSONPointer: String] = [:]
            var choices: [Choice] = []
            for (i, base) in bases.sorted(by: { $0.key < $1.key }) {
                guard let field = items[i].autoField else { continue }
                values[field.path] = Hex.format(base)
                choices.append(Choice(field: field, text: Hex.format(base), owner: items[i].name))
            }
            for f in template.autos where f.kind == .memory {
                let text = SizeText.format(memories[f.path] ?? 0)
                values[f.path] = text
                let domain = f.path.tokens.count > 1 ? Int(f.path.tokens[1]).map { spec.domains[$0].name } ?? "" : ""
                choices.append(Choice(field: f, text: text, owner: domain))
            }
            let bytes = Array(SpecTemplate.render(template.substituting(values)).utf8)
            let run = CheckRun.perform(specPath: reportPath, bytes: bytes, options: options, selection: nil)
            return .completed(bytes: bytes, choices: choices, run: run, note: nil)
        }
    }
}
