import Foundation
import Invariants
import P2MModel
import Testing
@testable import p2m_check

/// The board specs are not vacuous: a classic mistake on each board is caught,
/// naming both regions, their spec paths and a witness inside both.
struct BoardMistakesTests {
    struct Mistake: CustomStringConvertible, Sendable {
        var spec: String
        var old: String
        var new: String
        var property: PropertyID
        var regions: Set<String>
        var description: String { "\(spec): \(new)" }
    }

    static let mistakes = [
        // RAM at 0: the firmware's spin-table page is /memreserve/d; a kernel loaded at 0 lands on it.
        Mistake(spec: "rpi4", old: "\"load_address\": \"0x800000\"", new: "\"load_address\": \"0x0\"", property: .loadInRAM,
                regions: ["dom0-kernel", "firmware-spin-tables"]),
        // ZynqMP: an initrd over the remoteproc firmware carve-outs (/reserved-memory); it covers
        // rproc-1's, which is the first one the sorted containment check meets.
        Mistake(spec: "zcu102", old: "\"load_address\": \"0x2100000\"", new: "\"load_address\": \"0x3ed00000\"", property: .loadInRAM,
                regions: ["dom0-initrd", "rproc-1-fw-image"]),
        // Juno: the secure-world carve-out 0xff000000-0xffffffff is not RAM.
        Mistake(spec: "juno", old: "\"load_address\": \"0x80200000\"", new: "\"load_address\": \"0xfee00000\"", property: .loadInRAM,
                regions: ["xen", "no RAM bank"]),
        // QEMU: the domU kernel loaded over dom0's initrd.
        Mistake(spec: "qemu-virt-arm64", old: "\"load_address\": \"0x46000000\"", new: "\"load_address\": \"0x45000000\"", property: .loadDisjoint,
                regions: ["domu1-kernel", "dom0-initrd"]),
        // Versatile Express: the DTB put inside the initrd.
        Mistake(spec: "vexpress-ca15", old: "\"load_address\": \"0x80f00000\"", new: "\"load_address\": \"0x81800000\"", property: .loadDisjoint,
                regions: ["dom0-dtb", "dom0-initrd"]),
    ]

    @Test(arguments: mistakes)
    func theMistakeIsCaught(_ m: Mistake) throws {
        let text = try String(contentsOfFile: TestSupport.spec("specs/\(m.spec).json"), encoding: .utf8)
        #expect(text.components(separatedBy: m.old).count == 2, "the replaced text must occur once")
        let path = try TestSupport.temporarySpec(text.replacingOccurrences(of: m.old, with: m.new))
        // One counterexample is enough here; exhausting the rest is slow on the QEMU spec's
        // 393 load regions (its PCIe window is mapped with 4 KiB pages, as Xen's order rule gives).
        let run = CheckRun.perform(specPath: path, options: CheckOptions(maximumViolations: 1), selection: [m.property])
        #expect(run.exitStatus == .violated)
        guard case .checked(_, _, let results) = run.result, case .violated(let list)? = results.first?.verdict else {
            Issue.record("\(m): expected \(m.property.rawValue) violated, got \(run.result)")
            return
        }
        let v = try #require(list.first { Set($0.regions.map(\.name)) == m.regions }, "\(list.map(\.message))")
        let witness = try #require(v.machineWitnesses.first)
        for region in v.regions {
            if let range = region.range, region.kind != .unbacked { #expect(range.contains(witness), "\(region.name) \(range) vs \(witness)") }
            #expect(region.origin.path.hasPrefix("/"))
        }
    }
}
