import Foundation

/// One size's measurements, as the workers reported them.
struct BenchRow {
    var fields: [String: String]
    var pairwiseSeconds: Double?
    var pairwiseHolds: String?
    /// Set when the pairwise encoding was over its budget at this size or a smaller one.
    var pairwiseOverBudget: Double?

    init(_ fields: [String: String]) { self.fields = fields }

    func number(_ key: String) -> Double { fields[key].flatMap(Double.init) ?? .nan }
    var size: Double { number("size") }
    /// Encoding plus solving: the Z3 part of the full check.
    var check: Double { number("encode") + number("solve") }
    /// The part of the check on the properties each reference decides (like for like).
    var sweepPart: Double { number("sweeppart") }
    var pairwisePart: Double { number("pairwisepart") }
    /// Everything from spec to verdicts.
    var total: Double { number("build") + number("decode") + check }
    var proved: Bool { (fields["verdicts"] ?? "").split(separator: ",").allSatisfy { $0.hasSuffix(":proved") } }
}

/// The printed table, the ratios, the growth exponent and the targets.
struct BenchTable {
    var rows: [BenchRow]
    var seed: UInt64
    var pairwiseBudget: Int
    /// At 10^6: a worker that ran `s2-injective` alone (build, decode, check).
    var aliasOnly: BenchRow?

    func f(_ x: Double, _ digits: Int = 3) -> String { x.isNaN ? "-" : String(format: "%.\(digits)f", x) }

    /// Least-squares slope of log(y) over log(x).
    static func exponent(_ points: [(x: Double, y: Double)]) -> Double? {
        let p = points.filter { $0.x > 0 && $0.y > 0 }
        guard p.count >= 2 else { return nil }
        let lx = p.map { log($0.x) }, ly = p.map { log($0.y) }
        let mx = lx.reduce(0, +) / Double(p.count), my = ly.reduce(0, +) / Double(p.count)
        let sxx = lx.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(lx, ly).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        return sxx > 0 ? sxy / sxx : nil
    }

    /// Whether every layout was proved and neither reference disagreed (the
    /// targets are reported, not enforced; this is).
    var consistent: Bool {
        rows.allSatisfy { r in
            r.proved && r.fields["sweepholds"] == "yes" && (r.pairwiseHolds == nil || r.pairwiseHolds == "yes")
        }
    }

    func render() -> String {
        var out: [String] = []
        out.append("p2m-bench (seed \(seed)); wall-clock seconds unless marked cpu; check = encode + solve (Z3), every property of the catalogue;")
        out.append("alias = s2-injective alone (encode + solve); total = build + decode + check; pairwise = load-disjoint and alias freedom, pairwise encoding;")
        out.append("ratios are like for like: x pairwise = pairwise / (load-disjoint + s2-injective of the check); v1/sweep = (load-disjoint + load-in-ram + s2-injective + identity of the check) / sort-and-sweep of those four")
        let header = ["size", "leaves", "runs", "regions", "build", "decode", "encode", "solve", "check", "check cpu", "alias", "total", "peak MiB", "terms", "verdict", "pairwise", "x pairwise", "sweep", "v1/sweep"]
        var table: [[String]] = [header]
        for r in rows {
            let pairwise: String
            let speedup: String
            if let t = r.pairwiseSeconds {
                pairwise = f(t)
                speedup = f(t / r.pairwisePart, 0)
            } else {
                pairwise = "> \(pairwiseBudget)"
                speedup = "> " + f(Double(pairwiseBudget) / r.pairwisePart, 0)
            }
            table.append([
                fields(r, "size"), fields(r, "leaves"), fields(r, "runs"), fields(r, "regions"),
                f(r.number("build")), f(r.number("decode")), f(r.number("encode")), f(r.number("solve")), f(r.check), f(r.number("cpucheck")), f(r.number("alias")), f(r.total),
                f(r.number("peak") / 1_048_576, 0), fields(r, "terms"), r.proved ? "proved" : "NOT PROVED",
                pairwise, speedup, f(r.number("sweep")), f(r.sweepPart / r.number("sweep"), 1),
            ])
        }
        let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        for line in table {
            out.append(line.indices.map { c in String(repeating: " ", count: widths[c] - line[c].count) + line[c] }.joined(separator: "  "))
        }
        out.append("")
        for r in rows where !r.proved { out.append("size \(fields(r, "size")): \(fields(r, "verdicts"))") }
        for r in rows {
            let agree = [r.fields["sweepholds"], r.pairwiseHolds].compactMap { $0 }.allSatisfy { ($0 == "yes") == r.proved }
            if !agree { out.append("size \(fields(r, "size")): the references disagree with the check (sweep \(r.fields["sweepholds"] ?? "-"), pairwise \(r.pairwiseHolds ?? "-"))") }
        }
        if let largest = rows.last, let detail = largest.fields["encode/solve"] {
            // Wall seconds of each property inside the check (properties run concurrently, so
            // these overlap; run with --jobs 1 for a split that adds up).
            let parts = detail.split(separator: ",").compactMap { item -> String? in
                let kv = item.split(separator: ":")
                guard kv.count == 2 else { return nil }
                let times = kv[1].split(separator: "/").compactMap { Double($0) }
                return "\(kv[0]) \(f(times.reduce(0, +), 2))"
            }
            out.append("per property at \(fields(largest, "size")) (wall s, encode + solve): " + parts.joined(separator: ", "))
        }
        let band = rows.filter { $0.size >= 1e4 && $0.size <= 1e6 }
        let totalExponent = Self.exponent(band.map { ($0.size, $0.total) })
        let checkExponent = Self.exponent(band.map { ($0.size, $0.check) })
        out.append("growth exponent 10^4..10^6 (log-log least squares): total \(totalExponent.map { f($0, 2) } ?? "-"), check \(checkExponent.map { f($0, 2) } ?? "-")")
        out.append("")
        out.append("targets:")
        if let million = rows.first(where: { $0.size == 1e6 }) {
            let peak = million.number("peak") / 1_073_741_824
            out.append(mark(million.proved && million.total < 10 && peak < 2) + " 10^6 leaves and regions, full check, proved in \(f(million.total, 2)) s (< 10 s) and \(f(peak, 2)) GiB (< 2 GiB)")
            if let alone = aliasOnly {
                let alonePeak = alone.number("peak") / 1_073_741_824
                out.append(mark(alone.proved && alone.total < 10 && alonePeak < 2) + " 10^6 leaves proved alias-free, s2-injective alone: build \(f(alone.number("build"), 2)) + decode \(f(alone.number("decode"), 2)) + check \(f(alone.check, 2)) = \(f(alone.total, 2)) s (< 10 s), \(f(alonePeak, 2)) GiB")
            } else {
                let aliasFree = million.number("build") + million.number("decode") + million.number("alias")
                out.append(mark(million.proved && aliasFree < 10 && peak < 2) + " 10^6 leaves proved alias-free (build + decode + s2-injective within the full check) in \(f(aliasFree, 2)) s (< 10 s)")
            }
        } else {
            out.append("[ -- ] 10^6 leaves: size not run")
        }
        if let e = totalExponent { out.append(mark(e <= 1.2) + " growth exponent \(f(e, 2)) (<= 1.2)") }
        if let r = rows.first(where: { $0.size == 1e4 }) {
            if let t = r.pairwiseSeconds {
                out.append(mark(t / r.pairwisePart >= 100) + " \(f(t / r.pairwisePart, 0))x faster than pairwise at 10^4, like for like (>= 100x)")
            } else {
                out.append(mark(Double(pairwiseBudget) / r.pairwisePart >= 100) + " more than \(f(Double(pairwiseBudget) / r.pairwisePart, 0))x faster than pairwise at 10^4, like for like (pairwise over its \(pairwiseBudget) s budget, so this is a lower bound; >= 100x)")
            }
        }
        if let worst = rows.filter({ $0.size >= 1e4 }).max(by: { $0.sweepPart / $0.number("sweep") < $1.sweepPart / $1.number("sweep") }) {
            let ratio = worst.sweepPart / worst.number("sweep")
            out.append(mark(ratio <= 10) + " check within \(f(ratio, 1))x of sort-and-sweep on the same four properties (worst size >= 10^4: \(fields(worst, "size")); <= 10x)")
        }
        return out.joined(separator: "\n")
    }

    private func fields(_ r: BenchRow, _ key: String) -> String { r.fields[key] ?? "-" }
    private func mark(_ ok: Bool) -> String { ok ? "[ ok ]" : "[MISS]" }
}
