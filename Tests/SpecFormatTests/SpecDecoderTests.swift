import Foundation
import P2MModel
import Testing
@testable import SpecFormat

/// The v1 spec decoder: what it builds and the exact errors it gives.
struct SpecDecoderTests {
    static let minimal = """
        {"format": "p2m-check/v1", "board": "b", "architecture": "arm64", "pa_bits": 40, "ipa_bits": 40,
         "memory": [{"name": "ram", "base": "0x40000000", "size": "1G"}],
         "devices": [{"name": "uart", "base": "0x9000000", "size": "4K", "role": "uart"}],
         "hypervisor": {"name": "xen", "load_address": "0x40200000", "size": "2M", "console": "uart"},
         "boot_modules": [{"name": "k", "kind": "kernel", "load_address": "0x40800000", "size": "8M", "domain": "dom0"}],
         "domains": [{"name": "dom0", "memory": "256M", "direct_map": true}]}
        """

    func decode(_ text: String) throws(SpecError) -> BoardSpec { try SpecDecoder.decode(Array(text.utf8)) }

    func error(_ text: String) -> SpecError? {
        do { _ = try decode(text) } catch { return error }
        return nil
    }

    func variant(_ old: String, _ new: String) -> String {
        precondition(Self.minimal.contains(old))
        return Self.minimal.replacingOccurrences(of: old, with: new)
    }

    @Test func decodesTheModel() throws {
        let spec = try decode(Self.minimal)
        #expect(spec.architecture == .arm64)
        #expect(spec.ram[0].range == AddressRange(uncheckedBase: MachineAddress(0x4000_0000), size: 1 << 30))
        #expect(spec.ram[0].origin.path == "/memory/0")
        #expect(spec.ram[0].origin.line == 2)
        #expect(spec.hypervisor.console == "uart")
        #expect(spec.domains[0].isHardwareDomain && spec.domains[0].directMap)
        #expect(spec.domains[0].vcpus == 1)
        #expect(spec.domains[0].poolPlacement == .automatic)
        #expect(spec.bootModules[0].footprint == spec.bootModules[0].range)
    }

    @Test(arguments: [
        ("\"base\": \"0x9000000\"", "\"base\": 1.5", "/devices/0/base: floating-point numbers are not allowed; write an integer or a hex string"),
        ("\"base\": \"0x9000000\"", "\"base\": -4096", "/devices/0/base: \"-4096\" is negative; addresses and sizes are unsigned"),
        ("\"base\": \"0x9000000\"", "\"base\": 18446744073709551616", "/devices/0/base: \"18446744073709551616\" is larger than 2^64-1"),
        ("\"base\": \"0x9000000\"", "\"base\": true", "/devices/0/base: expected a hex string like \"0x40000000\" or a size like \"2G\", found a boolean"),
        ("\"size\": \"4K\"", "\"size\": 0", "/devices/0/size: size must be greater than zero"),
        ("\"base\": \"0x9000000\", \"size\": \"4K\"", "\"base\": \"0xffffffffffff0000\", \"size\": \"1M\"", "/devices/0/size: base 0xffffffffffff0000 + size 0x100000 wraps past the top of the 64-bit address space"),
        ("\"role\": \"uart\"", "\"role\": \"uart\", \"bsae\": 1", "/devices/0/bsae: unknown field \"bsae\"; expected one of base, compatible, dt_path, name, owner, role, size, status"),
        ("\"role\": \"uart\"", "\"role\": \"serial\"", "/devices/0/role: unknown value \"serial\"; expected one of gicd, gicc, gich, gicv, gicr, its, uart, timer, iommu, other"),
        ("\"domain\": \"dom0\"", "\"domain\": \"dom1\"", "/boot_modules/0/domain: domain \"dom1\" is not the name of any entry in /domains"),
        ("\"console\": \"uart\"", "\"console\": \"uart9\"", "/hypervisor/console: console \"uart9\" is not the name of any entry in /devices"),
        ("{\"name\": \"k\"", "{\"name\": \"uart\"", "/boot_modules/0/name: duplicate name \"uart\"; already used at /devices/0/name"),
        ("\"ipa_bits\": 40", "\"ipa_bits\": 39", "/ipa_bits: 39-bit P2M is not supported on arm64 (Xen accepts 32, 36, 40, 42, 44 or 48)"),
        ("\"base\": \"0x9000000\"", "\"base\": \"0x10000000000\"", "/devices/0: [0x10000000000, 0x10000001000) reaches beyond the 40-bit physical address space"),
        ("\"memory\": \"256M\"", "\"memory\": \"1000\"", "/domains/0/memory: domain memory must be a non-zero multiple of 4K"),
        ("\"board\": \"b\"", "\"board\": 3", "/board: expected a string, found a number"),
        ("\"format\": \"p2m-check/v1\"", "\"format\": \"v2\"", "/format: unsupported format \"v2\"; this checker reads \"p2m-check/v1\""),
    ])
    func rejected(old: String, new: String, message: String) {
        #expect(error(variant(old, new))?.description == message)
    }

    @Test func errorsCarryLineAndColumn() {
        let e = error(variant("\"size\": \"4K\"", "\"size\": \"4Q\""))
        #expect(e?.location?.line == 3)
        #expect(e?.path.description == "/devices/0/size")
    }

    @Test func missingRequiredField() {
        #expect(error("{\"format\": \"p2m-check/v1\"}")?.description == "/: missing required field \"board\"")
    }

    @Test func shippedSpecsDecode() throws {
        for path in ["specs/arndale.json", "specs/broken/arndale-pt-in-kernel.json"] {
            let bytes = try Array(String(contentsOfFile: repositoryFile(path), encoding: .utf8).utf8)
            let spec = try SpecDecoder.decode(bytes)
            #expect(spec.devices.count > 40)
        }
    }
}

/// A file of the repository (this file is Tests/SpecFormatTests/SpecDecoderTests.swift).
private func repositoryFile(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}
