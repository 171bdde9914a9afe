import Foundation
import Invariants
import Testing
@testable import p2m_check
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `p2m-check render`: the SVG is parsed back and its regions, bands and red marks checked.
struct RenderTests {
    /// The elements of an SVG document that carry a `class`, with their attributes.
    final class SVGElements: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        /// The `rect` inside each region group, by the group's `data-name`.
        var regionRects: [String: [String: String]] = [:]
        private var openRegion: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if attributes["class"] != nil { elements.append((name, attributes)) }
            if name == "g", attributes["class"]?.hasPrefix("region ") == true { openRegion = attributes["data-name"] }
            if name == "rect", let region = openRegion { regionRects[region] = attributes; openRegion = nil }
        }

        func classed(_ prefix: String) -> [[String: String]] {
            elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").first.map(String.init) == prefix }.map(\.attributes)
        }
    }

    private func render(_ spec: String, html: Bool = false) throws -> (status: Int32, svg: SVGElements, text: String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-render-\(UUID().uuidString).\(html ? "html" : "svg")")
        let r = try TestSupport.run(["render", spec, "-o", out.path] + (html ? ["--html"] : []))
        let text = try String(contentsOf: out, encoding: .utf8)
        let elements = SVGElements()
        if !html {
            let parser = XMLParser(data: Data(text.utf8))
            parser.delegate = elements
            #expect(parser.parse(), "the SVG must be well-formed XML: \(String(describing: parser.parserError))")
        }
        return (r.status, elements, text)
    }

    @Test func brokenArndaleShowsTheOverlapInRed() throws {
        let (status, svg, _) = try render(TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"))
        #expect(status == 1)
        let regions = svg.classed("region")
        let violated = Set(regions.filter { $0["class"]!.contains("violated") }.compactMap { $0["data-name"] })
        #expect(violated == ["dom0-kernel", "p2m pool of dom0"])
        for name in violated {
            #expect(svg.regionRects[name]?["stroke"] == SVGMemoryMap.red, "\(name) is not drawn red")
        }
        let kernel = try #require(regions.first { $0["data-name"] == "dom0-kernel" })
        #expect(kernel["data-base"] == "0x44000000" && kernel["data-size"] == "0x600000" && kernel["data-json-path"] == "/boot_modules/2")
        // The shared bytes [0x44100000, 0x44500000) hatched, the witness marked in machine space.
        let overlaps = svg.classed("overlap")
        #expect(overlaps.count == 1)
        #expect(overlaps.first?["data-base"] == "0x44100000" && overlaps.first?["data-size"] == "0x400000")
        #expect(overlaps.first?["fill"] == "url(#hatch)")
        let witnesses = svg.classed("witness")
        #expect(witnesses.map { $0["data-address"] } == ["0x44100000"])
        #expect(witnesses.first?["data-column"] == "machine" && witnesses.first?["data-property"] == "load-disjoint")
    }

    @Test func goodArndaleDrawsEverySpaceAndNoRedMark() throws {
        let (status, svg, _) = try render(TestSupport.spec("specs/arndale.json"))
        #expect(status == 0)
        let regions = svg.classed("region")
        #expect(regions.allSatisfy { !$0["class"]!.contains("violated") })
        #expect(svg.classed("overlap").isEmpty && svg.classed("witness").isEmpty)
        func kinds(_ name: String) -> [String] { regions.filter { $0["data-name"] == name }.compactMap { $0["class"] } }
        #expect(kinds("dram") == ["region ram-bank"])
        #expect(kinds("xen") == ["region hypervisor-image"])
        #expect(kinds("dom0-kernel") == ["region boot-module"])
        #expect(kinds("uart2") == ["region device"])
        #expect(kinds("p2m pool of dom0") == ["region p2m-pool"])
        #expect(regions.contains { $0["class"] == "region page-table-page" && $0["data-name"]!.hasPrefix("dom0 table pages ×") })
        // dom0 is 1:1: each guest RAM region is banded to the same machine address.
        let guestRAM = regions.filter { $0["data-column"] == "guest:dom0" && $0["class"] == "region guest-ram" }
        #expect(!guestRAM.isEmpty)
        let bands = svg.classed("band")
        for ram in guestRAM {
            #expect(bands.contains { $0["data-guest-base"] == ram["data-base"] && $0["data-machine-base"] == ram["data-base"] })
        }
        #expect(regions.contains { $0["data-column"] == "guest:dom0" && $0["data-name"] == "MMIO uart0" })
        // uart2 is Xen's console on Exynos 5: drawn in machine space, never mapped to dom0.
        #expect(!regions.contains { $0["data-column"] == "guest:dom0" && $0["data-name"] == "MMIO uart2" })
        // The long stretch between the last device and RAM is a labelled gap.
        #expect(!svg.classed("gap").isEmpty)
    }

    @Test func aSecondDomainGetsItsOwnGuestSpaceWithNonIdentityBands() throws {
        let path = try TestSupport.arndaleVariant(
            replacing: "\"vcpus\": 2\n    }\n  ]",
            with: "\"vcpus\": 2\n    },\n    { \"name\": \"domu1\", \"memory\": \"128M\", \"vcpus\": 1 }\n  ]")
        let (status, svg, _) = try render(path)
        #expect(status == 0)
        #expect(svg.classed("column").map { $0["data-column"] } == ["machine", "guest:dom0", "guest:domu1"])
        let ram = try #require(svg.classed("region").first { $0["data-column"] == "guest:domu1" && $0["class"] == "region guest-ram" })
        // Xen's GUEST_RAM0_BASE: a domU's RAM starts at guest 0x40000000, wherever it is in machine memory.
        #expect(ram["data-base"] == "0x40000000" && ram["data-size"] == "0x8000000")
        let band = try #require(svg.classed("band").first { $0["data-guest-base"] == "0x40000000" && $0["data-name"] == "RAM" && $0["data-machine-base"] != "0x40000000" })
        let machineBase = try #require(band["data-machine-base"])
        #expect(svg.classed("region").contains { $0["data-name"] == "domu1 RAM" && $0["data-base"] == machineBase })
    }

    /// The renderer's handling of a per-domain violation with guest witnesses,
    /// on a violation made up for the test (the Arndale layout has none).
    @Test func guestWitnessesAreMarkedInTheDomainsGuestSpace() throws {
        var outcome = CheckRun.perform(specPath: TestSupport.spec("specs/arndale.json"), options: .init(), selection: nil)
        guard case .checked(let spec, let facts, var results) = outcome.result, let dom0 = facts.domains.first else {
            Issue.record("expected a checked system")
            return
        }
        let ram = dom0.decoded.runs.filter { facts.attribute($0.machine).kind == .ramBank }
        let mmio = try #require(dom0.decoded.runs.first { facts.attribute($0.machine).kind == .device })
        let refs = [facts.reference(for: try #require(ram.first), in: dom0), facts.reference(for: mmio, in: dom0)]
        let witness = try #require(ram.first).guest.base
        let index = try #require(results.firstIndex { $0.property == .s2Injective })
        results[index].verdict = .violated([Violation(property: .s2Injective, message: "made up", regions: refs, guestWitnesses: [witness], domain: "dom0")])
        outcome.result = .checked(spec: spec, facts: facts, results: results)
        let picture = try #require(PictureBuilder.make(outcome))
        #expect(picture.witnesses.map(\.column) == [1] && picture.witnesses.map(\.address) == [witness.rawValue])
        let violated = picture.columns[1].regions.filter(\.violated)
        #expect(Set(violated.map(\.kind)) == ["guest-ram", "guest-mmio"])
        #expect(picture.columns[0].regions.allSatisfy { !$0.violated })
        let svg = SVGMemoryMap(picture: picture).render()
        #expect(svg.contains("<g class=\"witness\" data-column=\"guest:dom0\" data-address=\"\(witness)\""))
    }

    @Test func scaleKeepsFourKAndOneTReadable() {
        let page = MemoryPicture.Span(base: 0x1000, size: 0x1000)
        let tera = MemoryPicture.Span(base: 1 << 40, size: 1 << 40)
        let scale = PiecewiseScale(spans: [page, tera], top: 0)
        let pageHeight = scale.y(page.end) - scale.y(page.base)
        let teraHeight = scale.y(tera.end) - scale.y(tera.base)
        #expect(pageHeight == PiecewiseScale.minimumHeight)
        #expect(teraHeight == 110)
        // Between them, almost 1T that nothing uses: one short labelled gap.
        #expect(scale.segments.map(\.isGap) == [false, true, false])
        #expect(scale.y(tera.base) - scale.y(page.end) == PiecewiseScale.gapHeight)
        // Linear inside a segment, monotonic overall.
        #expect(scale.y(tera.base + (1 << 39)) == scale.y(tera.base) + 55)
        #expect(scale.y(0) == 0 && scale.y(UInt64.max) == scale.bottom)
    }

    @Test func htmlPageHasTheMapAndATableRowPerRegion() throws {
        let (status, _, page) = try render(TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"), html: true)
        #expect(status == 1)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(page.contains("<tr class=\"violated\"><td>machine</td><td>dom0-kernel</td><td>boot-module</td>"))
        #expect(page.contains("<td class=\"id\">load-disjoint</td><td>violated</td>"))
        #expect(page.contains("/boot_modules/2 (line 392, column 5)"))
    }

    @Test func unbuildableSpecDrawsTheMachineSpaceAndSaysWhy() throws {
        let path = try TestSupport.arndaleVariant(replacing: "\"memory\": \"512M\"", with: "\"memory\": \"3G\"")
        let (status, svg, _) = try render(path)
        #expect(status == 1)
        #expect(svg.classed("verdict").isEmpty == false)
        #expect(svg.classed("region").contains { $0["data-name"] == "dom0-kernel" })
        #expect(svg.classed("column").map { $0["data-column"] } == ["machine"])
    }

    @Test func namesWithMarkupCharactersAreEscaped() throws {
        let name = #"uart0 <console> & \"debug\""#
        let path = try TestSupport.arndaleVariant(replacing: #""name": "uart0""#, with: #""name": "\#(name)""#)
        let (status, svg, _) = try render(path)
        #expect(status == 0)
        #expect(svg.classed("region").contains { $0["data-name"] == #"uart0 <console> & "debug""# })
        let (_, _, page) = try render(path, html: true)
        #expect(page.contains("uart0 &lt;console&gt; &amp; &quot;debug&quot;"))
        #expect(!page.contains("<console>"))
    }

    @Test func unreadableSpecExitsTwoAndWritesNothing() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-render-\(UUID().uuidString).svg")
        let r = try TestSupport.run(["render", "/nonexistent/spec.json", "-o", out.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no such file"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
