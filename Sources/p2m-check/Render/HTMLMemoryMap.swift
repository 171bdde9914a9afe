import Invariants
import P2MModel

/// A self-contained HTML page: the verdicts, the SVG memory map inline, and
/// a table of every region drawn with its range, size and spec entry. When a
/// property is violated, a link at the top leads to its row
/// (`id="first-violation"`). The page is also well-formed XML (void elements
/// closed, every name escaped by `MarkupText`), so XML tools can read it.
struct HTMLMemoryMap {
    var picture: MemoryPicture
    var specPath: String

    func render() -> String {
        let e = SVGMemoryMap.escape
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><title>p2m-check: \(e(picture.title))</title>
        <style>
        body { font-family: DejaVu Sans, Verdana, sans-serif; margin: 1.5em; color: #212121; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        td.addr { font-family: DejaVu Sans Mono, monospace; }
        td.addr, td.num, td.id { white-space: nowrap; }
        tr.violated td { background: #ffebee; color: #b71c1c; }
        .map { overflow: auto; border: 1px solid #ddd; }
        </style></head><body>
        <h1>\(e(picture.title))</h1>
        <p>Spec <code>\(e(specPath))</code>: \(e(picture.verdictLine))</p>

        """
        let firstViolated = picture.results.firstIndex { $0.verdict.name == "violated" }
        if let i = firstViolated, case .violated(let vs) = picture.results[i].verdict {
            let what = vs.first.map { ": " + e($0.message) } ?? ""
            page += "<p class=\"first-violation\"><a href=\"#first-violation\">First violation: \(e(picture.results[i].property.rawValue))\(what)</a></p>\n"
        }
        if !picture.results.isEmpty {
            page += "<h2>Properties</h2>\n<table><tr><th>property</th><th>verdict</th><th>details</th><th>queries</th><th>time</th></tr>\n"
            for (index, r) in picture.results.enumerated() {
                let details: String
                switch r.verdict {
                case .proved: details = e(r.property.statement)
                case .unknown(let reason): details = "not proved: " + e(reason)
                case .violated(let vs):
                    details = vs.map { v in
                        var w = v.machineWitnesses.map { "machine \($0)" }
                        w += v.guestWitnesses.map { "guest \($0)" }
                        let regions = v.regions.map { "\(e($0.name)) at <code>\(e(Describe.origin($0.origin)))</code>" }.joined(separator: "; ")
                        return "\(e(v.message))<br/>witness: \(e(w.joined(separator: ", ")))<br/>\(regions)"
                    }.joined(separator: "<hr/>")
                }
                let violated = r.verdict.name == "violated"
                let anchor = index == firstViolated ? " id=\"first-violation\"" : ""
                page += "<tr\(anchor) class=\"\(r.verdict.name)\(violated ? " violated" : "")\"><td class=\"id\">\(e(r.property.rawValue))</td><td>\(r.verdict.name)</td><td>\(details)</td><td class=\"num\">\(r.queries)</td><td class=\"num\">\(Int((r.seconds * 1000).rounded())) ms</td></tr>\n"
            }
            page += "</table>\n"
        }
        var svg = SVGMemoryMap(picture: picture).render()
        if let start = svg.range(of: "<svg ") { svg = String(svg[start.lowerBound...]) }
        page += "<h2>Memory map</h2>\n<div class=\"map\">\n\(svg)</div>\n"
        page += "<h2>Regions</h2>\n<table><tr><th>space</th><th>name</th><th>kind</th><th>base</th><th>end</th><th>size</th><th>maps to</th><th>spec entry</th></tr>\n"
        for column in picture.columns {
            for r in column.regions.sorted(by: { $0.span.base < $1.span.base }) {
                let maps = r.machine.map { "<td class=\"addr\">\(Hex.format($0.base))</td>" } ?? "<td></td>"
                page += "<tr\(r.violated ? " class=\"violated\"" : "")><td>\(e(column.title))</td><td>\(e(r.name))</td><td>\(e(r.kind))</td>"
                page += "<td class=\"addr\">\(Hex.format(r.span.base))</td><td class=\"addr\">\(Hex.format(r.span.end))</td><td>\(Describe.size(r.span.size))</td>\(maps)"
                page += "<td><code>\(e(r.origin.map(Describe.origin) ?? ""))</code></td></tr>\n"
            }
        }
        return page + "</table>\n</body></html>\n"
    }
}
