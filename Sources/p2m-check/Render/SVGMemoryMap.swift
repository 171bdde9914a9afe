import Foundation
import P2MModel

/// Draws a `MemoryPicture` as a standalone SVG 1.1 document. Every element a
/// tool may want to find carries a class and `data-` attributes: regions
/// (`class="region <kind>[ violated]"`, `data-name`, `data-column`,
/// `data-base`, `data-size`, `data-json-path`), mapping bands
/// (`class="band"`), overlaps (`class="overlap"`), witnesses
/// (`class="witness"`, `data-address`, `data-property`) and gaps
/// (`class="gap"`, `data-size`).
struct SVGMemoryMap {
    var picture: MemoryPicture

    static let axisWidth = 118.0
    static let laneWidth = 150.0
    static let laneGap = 4.0
    static let gutter = 190.0
    static let headerHeight = 104.0
    static let red = "#d50000"

    /// Fill and stroke of each region kind.
    static let palette: [(kind: String, fill: String, stroke: String, legend: String)] = [
        ("ram-bank", "#e3ecfa", "#4a6fa5", "RAM bank"),
        ("reserved-memory", "#eadcf0", "#7b4d8c", "reserved memory"),
        ("device", "#fff1d6", "#a66b00", "device (MMIO)"),
        ("hypervisor-image", "#d1c4e9", "#4527a0", "hypervisor"),
        ("boot-module", "#cfe8cf", "#2e7d32", "boot module"),
        ("xenheap", "#c9e7e3", "#00695c", "xenheap"),
        ("p2m-pool", "#ffe2bf", "#b85c00", "p2m pool"),
        ("page-table-page", "#ffc983", "#8a4b00", "page-table pages"),
        ("guest-ram", "#cde3f8", "#1565c0", "domain RAM"),
        ("guest-mmio", "#fde7c4", "#a66b00", "guest MMIO mapping"),
        ("guest-unbacked", "#eeeeee", "#616161", "maps no RAM or device"),
    ]

    private struct Layout {
        var scale: PiecewiseScale
        /// Left edge of each column.
        var columnX: [Double]
        var width: Double
        var height: Double
    }

    private func layout() -> Layout {
        var spans = picture.columns.flatMap { $0.regions.map(\.span) }
        spans += picture.witnesses.map { MemoryPicture.Span(base: $0.address, size: 1) }.filter { w in !spans.contains { $0.overlaps(w) } }
        let scale = PiecewiseScale(spans: spans, top: Self.headerHeight)
        var x = Self.axisWidth
        var columnX: [Double] = []
        for (i, c) in picture.columns.enumerated() {
            if i > 0 { x += Self.gutter }
            columnX.append(x)
            x += Double(c.laneCount) * (Self.laneWidth + Self.laneGap)
        }
        return Layout(scale: scale, columnX: columnX, width: x + Self.gutter, height: scale.bottom + 70)
    }

    func render() -> String {
        let l = layout()
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(l.width))" height="\(Int(l.height))" viewBox="0 0 \(Int(l.width)) \(Int(l.height))" font-family="DejaVu Sans, Verdana, sans-serif" font-size="10" role="img">
        <title>\(Self.escape("p2m-check memory map: \(picture.title): \(picture.verdictLine)"))</title>
        <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffcdd2" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="6" stroke="\(Self.red)" stroke-width="3"/></pattern></defs>
        <rect width="100%" height="100%" fill="white"/>
        <text x="12" y="22" font-size="15" font-weight="bold">\(Self.escape(picture.title))</text>
        <text class="verdict" x="12" y="42" font-size="12" fill="\(picture.status == .proved ? "#1b5e20" : picture.status == .unknown ? "#b26a00" : Self.red)">\(Self.escape(picture.verdictLine))</text>

        """
        svg += gaps(l)
        svg += bands(l)
        for (i, column) in picture.columns.enumerated() { svg += draw(column, index: i, l) }
        svg += overlaps(l)
        svg += labels(l)
        svg += witnesses(l)
        svg += axis(l)
        svg += legend(l)
        return svg + "</svg>\n"
    }

    private func gaps(_ l: Layout) -> String {
        var out = ""
        for s in l.scale.segments where s.isGap {
            out += "<g class=\"gap\" data-base=\"\(Hex.format(s.span.base))\" data-size=\"\(Hex.format(s.span.size))\">"
            out += "<rect x=\"\(Self.axisWidth)\" y=\(q(s.top)) width=\(q(l.width - Self.axisWidth - 8)) height=\(q(s.height)) fill=\"#f7f7f7\"/>"
            out += "<text x=\(q(l.columnX[0] + 6)) y=\(q(s.top + s.height / 2 + 3.5)) fill=\"#9e9e9e\" font-style=\"italic\" font-size=\"9\">gap of \(Describe.approximateSize(s.span.size))</text></g>\n"
        }
        return out
    }

    private func bands(_ l: Layout) -> String {
        guard let machine = picture.columns.first else { return "" }
        var out = ""
        for (c, column) in picture.columns.enumerated() where c > 0 {
            for r in column.regions {
                guard let m = r.machine else { continue }
                // From the right edge of what the mapping reaches: the domain's RAM, a device, a bank.
                let targets = machine.regions.filter { ["guest-ram", "device", "ram-bank", "reserved-memory"].contains($0.kind) && $0.span.overlaps(m) }
                let lane = targets.map(\.lane).max() ?? machine.laneCount - 1
                let machineRight = l.columnX[0] + Double(lane + 1) * (Self.laneWidth + Self.laneGap) - Self.laneGap
                let colour = r.violated ? Self.red : (Self.palette.first { $0.kind == r.kind }?.stroke ?? "#888")
                let (gx, ya, yb, yc, yd) = (l.columnX[c], l.scale.y(m.base), l.scale.y(m.end), l.scale.y(r.span.base), l.scale.y(r.span.end))
                out += "<polygon class=\"band\(r.violated ? " violated" : "")\" data-name=\(q(r.name)) data-guest-base=\"\(Hex.format(r.span.base))\" data-machine-base=\"\(Hex.format(m.base))\" "
                out += "points=\"\(f(machineRight)),\(f(ya)) \(f(gx)),\(f(yc)) \(f(gx)),\(f(yd)) \(f(machineRight)),\(f(yb))\" fill=\"\(colour)\" fill-opacity=\"\(r.violated ? 0.45 : 0.18)\" stroke=\"\(colour)\" stroke-opacity=\"0.5\" stroke-width=\"0.6\"/>\n"
            }
        }
        return out
    }

    private func draw(_ column: MemoryPicture.Column, index: Int, _ l: Layout) -> String {
        let x0 = l.columnX[index]
        var out = "<g class=\"column\" data-column=\(q(columnID(index)))>\n"
        out += "<text x=\(q(x0)) y=\"70\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(column.title))</text>\n"
        var lane = 0
        for g in column.groups {
            out += "<text x=\(q(x0 + Double(lane) * (Self.laneWidth + Self.laneGap))) y=\"90\" fill=\"#555\">\(Self.escape(g.title))</text>\n"
            lane += g.lanes
        }
        // Larger regions first so that smaller ones sharing a lane stay visible.
        for r in column.regions.sorted(by: { $0.span.size > $1.span.size }) {
            let x = x0 + Double(r.lane) * (Self.laneWidth + Self.laneGap)
            let y = l.scale.y(r.span.base)
            let h = max(l.scale.y(r.span.end) - y, 2)
            let style = Self.palette.first { $0.kind == r.kind } ?? (r.kind, "#eeeeee", "#616161", r.kind)
            let fill = r.violated ? "#ffcdd2" : style.fill
            let stroke = r.violated ? Self.red : style.stroke
            let where_ = r.origin.map { o in " at \(Describe.origin(o))" } ?? ""
            out += "<g class=\"region \(r.kind)\(r.violated ? " violated" : "")\" data-name=\(q(r.name)) data-column=\(q(columnID(index))) "
            out += "data-base=\"\(Hex.format(r.span.base))\" data-size=\"\(Hex.format(r.span.size))\" data-json-path=\(q(r.origin?.path ?? ""))>"
            out += "<title>\(Self.escape("\(r.name) (\(r.kind)) [\(Hex.format(r.span.base)), \(Hex.format(r.span.end))) \(Describe.size(r.span.size))\(where_)"))</title>"
            out += "<rect x=\(q(x)) y=\(q(y)) width=\(q(Self.laneWidth)) height=\(q(h)) fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(r.violated ? 2.5 : 0.8)\"/></g>\n"
        }
        return out + "</g>\n"
    }

    /// Region labels, drawn last with a white halo so that hatching never hides them.
    private func labels(_ l: Layout) -> String {
        var out = "<g class=\"labels\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"3\" stroke-linejoin=\"round\">\n"
        for (index, column) in picture.columns.enumerated() {
            for r in column.regions {
                let x = l.columnX[index] + Double(r.lane) * (Self.laneWidth + Self.laneGap)
                let y = l.scale.y(r.span.base)
                let h = max(l.scale.y(r.span.end) - y, 2)
                let label = Self.fit("\(r.name) \(Describe.size(r.span.size))", width: Self.laneWidth - 6)
                out += "<text x=\(q(x + 3)) y=\(q(y + min(h / 2, 12) + 3.5)) fill=\"\(r.violated ? Self.red : "#212121")\"\(r.violated ? " font-weight=\"bold\"" : "")>\(Self.escape(label))</text>\n"
            }
        }
        return out + "</g>\n"
    }

    private func overlaps(_ l: Layout) -> String {
        guard let machine = picture.columns.first else { return "" }
        return picture.overlaps.map { o in
            let y = l.scale.y(o.span.base)
            let h = max(l.scale.y(o.span.end) - y, 2)
            // Across the lanes of the violating regions that share these bytes.
            let lanes = machine.regions.filter { $0.violated && $0.span.overlaps(o.span) }.map(\.lane)
            let first = Double(lanes.min() ?? 0)
            let x = l.columnX[0] + first * (Self.laneWidth + Self.laneGap)
            let width = (Double(lanes.max() ?? machine.laneCount - 1) - first + 1) * (Self.laneWidth + Self.laneGap) - Self.laneGap
            return "<rect class=\"overlap\" data-property=\(q(o.property)) data-base=\"\(Hex.format(o.span.base))\" data-size=\"\(Hex.format(o.span.size))\" "
                + "x=\(q(x)) y=\(q(y)) width=\(q(width)) height=\(q(h)) fill=\"url(#hatch)\" stroke=\"\(Self.red)\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>\n"
        }.joined()
    }

    private func witnesses(_ l: Layout) -> String {
        picture.witnesses.map { w in
            let x0 = l.columnX[w.column]
            let right = x0 + Double(picture.columns[w.column].laneCount) * (Self.laneWidth + Self.laneGap)
            let y = l.scale.y(w.address)
            var g = "<g class=\"witness\" data-column=\(q(columnID(w.column))) data-address=\"\(Hex.format(w.address))\" data-property=\(q(w.property))>"
            g += "<line x1=\(q(x0 - 8)) y1=\(q(y)) x2=\(q(right + 4)) y2=\(q(y)) stroke=\"\(Self.red)\" stroke-width=\"2\"/>"
            g += "<circle cx=\(q(x0 - 8)) cy=\(q(y)) r=\"4.5\" fill=\"\(Self.red)\"/>"
            g += "<text x=\(q(right + 8)) y=\(q(y + 4)) fill=\"\(Self.red)\" font-weight=\"bold\">witness \(Hex.format(w.address)) (\(Self.escape(w.property)))</text></g>\n"
            return g
        }.joined()
    }

    private func axis(_ l: Layout) -> String {
        var out = "<g class=\"axis\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"9\" fill=\"#424242\">\n"
        var lastY = -100.0
        for (i, s) in l.scale.segments.enumerated() {
            for (address, y) in [(s.span.base, s.top)] + (i == l.scale.segments.count - 1 ? [(s.span.end, s.top + s.height)] : []) where y - lastY >= 9.5 {
                out += "<text x=\(q(Self.axisWidth - 6)) y=\(q(y + 3)) text-anchor=\"end\">\(Hex.format(address))</text>"
                out += "<line x1=\(q(Self.axisWidth - 4)) y1=\(q(y)) x2=\(q(Self.axisWidth)) y2=\(q(y)) stroke=\"#9e9e9e\"/>\n"
                lastY = y
            }
        }
        return out + "</g>\n"
    }

    private func legend(_ l: Layout) -> String {
        var out = "<g class=\"legend\">"
        var x = 12.0
        var y = l.height - 44
        for p in Self.palette {
            if x + 150 > l.width { x = 12; y += 18 }
            out += "<rect x=\(q(x)) y=\(q(y)) width=\"12\" height=\"10\" fill=\"\(p.fill)\" stroke=\"\(p.stroke)\"/><text x=\(q(x + 16)) y=\(q(y + 9))>\(p.legend)</text>"
            x += 150
        }
        out += "<rect x=\(q(x)) y=\(q(y)) width=\"12\" height=\"10\" fill=\"url(#hatch)\" stroke=\"\(Self.red)\"/><text x=\(q(x + 16)) y=\(q(y + 9)) fill=\"\(Self.red)\">violation (shared bytes hatched)</text>"
        return out + "</g>\n"
    }

    private func columnID(_ index: Int) -> String { picture.columns[index].id }

    /// `text` cut with an ellipsis to about `width` pixels at the 10 px font.
    static func fit(_ text: String, width: Double) -> String {
        let limit = Int(width / 6.0)
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Markup characters as entities, controls and bidirectional overrides as visible escapes (`MarkupText`).
    static func escape(_ s: String) -> String { MarkupText.escape(s) }

    private func q(_ s: String) -> String { "\"\(Self.escape(s))\"" }
    private func q(_ d: Double) -> String { "\"\(f(d))\"" }
    private func f(_ d: Double) -> String { String(format: "%.1f", d) }
}
