import Foundation
import Invariants
import SpecFormat
import Testing
@testable import p2m_check

/// `p2m-check import-dtb` end to end: dtc-compiled fixtures in, specs out
/// that validate against the schema and prove.
struct ImportDTBTests {
    private func importSpec(_ fixture: String, _ extra: [String] = []) throws -> (spec: String, stderr: String) {
        let blob = try DTC.compile(fixture: fixture)
        let out = blob + ".json"
        let result = try TestSupport.run(["import-dtb", blob, "-o", out] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        return (try String(contentsOfFile: out, encoding: .utf8), result.stderr)
    }

    private func check(_ text: String) throws -> CheckRun {
        let path = try TestSupport.temporarySpec(text)
        #expect(try BoardSpecsTests.validator().validate(try JSONParser.parse(Array(text.utf8))).isEmpty)
        return CheckRun.perform(specPath: path, options: CheckOptions(), selection: nil)
    }

    private func verdicts(_ run: CheckRun) -> [PropertyID: Verdict] {
        guard case .checked(_, _, let results) = run.result else { return [:] }
        return Dictionary(uniqueKeysWithValues: results.map { ($0.property, $0.verdict) })
    }

    @Test func arm32FixtureWithChosenModulesProves() throws {
        let (text, stderr) = try importSpec("arm32-board")
        let run = try check(text)
        guard case .checked(let spec, _, let results) = run.result else {
            Issue.record("expected a check, got \(run.result)")
            return
        }
        for r in results { #expect(r.verdict == .proved, "\(r.property.rawValue): \(r.verdict)") }
        #expect(spec.architecture == .arm32LPAE && spec.paBits == 40 && spec.ipaBits == 40)
        // The /memreserve/ entry and the /reserved-memory child keep their source (Xen maps only the latter into dom0).
        #expect(spec.reserved.map(\.source) == [.memreserve, .reservedMemory])
        #expect(spec.bootModules.map(\.name) == ["dom0-module@82000000", "dom0-module@83000000"])
        #expect(spec.hypervisor.console == "uart@90000")
        #expect(spec.hypervisor.range.base.rawValue == 0x8020_0000)
        #expect(spec.domains.map(\.name) == ["dom0"] && spec.domains[0].directMap && spec.domains[0].vcpus == 2)
        #expect(spec.domains[0].memorySize == 512 << 20)
        #expect(spec.devices.first { $0.name == "timer@2a810000" }?.owner == .hypervisor)
        // Every note is on stderr and in the spec.
        #expect(stderr.contains("note: /i2c-bus/eeprom@50: parent bus /i2c-bus has no ranges property"))
        #expect(stderr.contains("note: the device tree does not say where Xen is loaded"))
        #expect(text.contains("\"notes\": ["))
        #expect(text.contains("/reserved-memory/linux,cma: dynamic reserved-memory region"))
    }

    static let modules = """
        "boot_modules": [
            { "name": "dom0-kernel", "kind": "kernel", "load_address": "0x40400000", "size": "36M", "footprint": "40M", "domain": "dom0" },
            { "name": "dom0-initrd", "kind": "ramdisk", "load_address": "0x48000000", "size": "32M", "domain": "dom0" },
            { "name": "dom0-dtb", "kind": "dtb", "load_address": "0x4a000000", "size": "64K", "domain": "dom0" }
          ],
        """

    @Test func arm64FixtureProvesAfterBootModulesAreAdded() throws {
        let (text, _) = try importSpec("arm64-gicv3")
        #expect(text.contains("\"boot_modules\": [],"))
        let withModules = text.replacingOccurrences(of: "\"boot_modules\": [],", with: Self.modules)
        let run = try check(withModules)
        guard case .checked(let spec, _, let results) = run.result else {
            Issue.record("expected a check, got \(run.result)")
            return
        }
        for r in results { #expect(r.verdict == .proved, "\(r.property.rawValue): \(r.verdict)") }
        #expect(spec.architecture == .arm64 && spec.paBits == 40 && spec.ipaBits == 40)
        #expect(spec.reserved.map(\.source) == [.reservedMemory])
        #expect(spec.bootModules.count == 3)
        #expect(spec.ram.map(\.range.base.rawValue) == [0x4000_0000, 0x8_8000_0000])
        #expect(spec.devices.filter { $0.role == .gicr }.count == 2)
        #expect(spec.hypervisor.console == "serial@9000000")
        #expect(spec.hypervisor.range.base.rawValue == 0x4000_0000)
        #expect(spec.domains[0].vcpus == 4)
    }

    @Test func aModuleOverTheImportedHypervisorIsCaught() throws {
        let (text, _) = try importSpec("arm64-gicv3", ["--hypervisor-address", "0x40400000", "--dom0-memory", "256M"])
        let run = try check(text.replacingOccurrences(of: "\"boot_modules\": [],", with: Self.modules))
        #expect(run.exitStatus == .violated)
        guard case .violated(let list) = verdicts(run)[.loadDisjoint] else {
            Issue.record("load-disjoint should be violated")
            return
        }
        #expect(list.contains { Set($0.regions.map(\.name)) == ["xen", "dom0-kernel"] })
    }

    @Test func theBlobItselfBecomesABootModule() throws {
        let blob = try DTC.compile(fixture: "arm32-board")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: blob)[.size] as? Int)
        let (text, _) = try importSpec("arm32-board", ["--dtb-address", "0x84000000"])
        let run = try check(text)
        guard case .checked(let spec, _, let results) = run.result else {
            Issue.record("expected a check, got \(run.result)")
            return
        }
        let dtb = try #require(spec.bootModules.first { $0.name == "host-dtb" })
        #expect(dtb.kind == .deviceTree && dtb.range.base.rawValue == 0x8400_0000 && dtb.range.size == UInt64(size))
        for r in results { #expect(r.verdict == .proved, "\(r.property.rawValue): \(r.verdict)") }
        // Loaded over the kernel module, it is caught.
        let (clash, _) = try importSpec("arm32-board", ["--dtb-address", "0x82100000"])
        #expect(try check(clash).exitStatus == .violated)
    }

    @Test func optionsOverrideTheChoices() throws {
        let (text, stderr) = try importSpec("arm64-gicv3", ["--hypervisor-address", "0x50000000", "--hypervisor-size", "4M", "--dom0-memory", "1G"])
        #expect(text.contains("\"load_address\": \"0x50000000\""))
        #expect(text.contains("\"size\": \"0x400000\""))
        #expect(text.contains("\"memory\": \"0x40000000\""))
        #expect(!stderr.contains("does not say where Xen is loaded"))
    }

    @Test func malformedBlobsExitTwoWithAClearError() throws {
        let blob = try DTC.compile(fixture: "arm32-board")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: blob)))
        bytes[0] = 0
        let bad = try TestSupport.temporarySpec("", name: "bad.dtb")
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let result = try TestSupport.run(["import-dtb", bad])
        #expect(result.status == 2)
        #expect(result.stderr == "p2m-check: import-dtb: \(bad): bad magic 0xdfeed at offset 0x0: not a flattened device tree (expected 0xd00dfeed)\n")
        #expect(result.stdout.isEmpty)

        let truncated = try TestSupport.temporarySpec("", name: "short.dtb")
        try Data(bytes.prefix(30)).write(to: URL(fileURLWithPath: truncated))
        #expect(try TestSupport.run(["import-dtb", truncated]).stderr.contains("truncated blob: 30 bytes"))
        #expect(try TestSupport.run(["import-dtb", "/nonexistent.dtb"]).status == 2)
        #expect(try TestSupport.run(["import-dtb", blob, "--architecture", "riscv"]).status == 2)
        let zero = try TestSupport.run(["import-dtb", blob, "--dom0-memory", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--dom0-memory must be a non-zero multiple of 4K"))
        #expect(try TestSupport.run(["import-dtb", blob, "--hypervisor-size", "1000"]).status == 2)
    }

    @Test func quirksAreCarriedIntoTheSpec() throws {
        // 512M of RAM holding Xen, the initrd, a domU kernel and the xenheap leaves no
        // naturally aligned 128M block for a 256M dom0 (Xen would panic); 64M fits.
        let (text, stderr) = try importSpec("quirks", ["--dom0-memory", "64M"])
        #expect(text.contains("\"name\": \"dom0-initrd\""))
        #expect(text.contains("alias cycle serial0 -> console -> serial0"))
        #expect(stderr.contains("note: /chosen/domU2: dom0less domain with xen,static-mem"))
        #expect(!text.contains("\"console\""))
        // The dom0less guest and its kernel are imported, and the whole spec proves.
        let run = try check(text)
        guard case .checked(let spec, _, let results) = run.result else {
            Issue.record("expected a check, got \(run.result)")
            return
        }
        #expect(spec.domains.map(\.name) == ["dom0", "domU1"])
        #expect(spec.domains[1].memorySize == 128 << 20 && spec.domains[1].vcpus == 2 && !spec.domains[1].isHardwareDomain)
        #expect(spec.bootModules.map(\.domain) == ["domU1", "dom0"])
        for r in results { #expect(r.verdict == .proved, "\(r.property.rawValue): \(r.verdict)") }
    }

    @Test func aTreeWithoutRAMIsRefusedNotGuessed() throws {
        let blob = try DTC.compile(fixture: "firmware-filled-memory")
        let result = try TestSupport.run(["import-dtb", blob])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the device tree has no memory node with a reg (the firmware fills it in)"))
        #expect(result.stdout.isEmpty)
    }
}
