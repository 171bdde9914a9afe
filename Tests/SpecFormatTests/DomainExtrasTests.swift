import Foundation
import P2MModel
import Testing
@testable import SpecFormat

/// The dom0less and image-format fields: what they decode to and the errors (with JSON paths) they give.
struct DomainExtrasTests {
    static let base = SpecDecoderTests.minimal

    func decode(_ text: String) throws(SpecError) -> BoardSpec { try SpecDecoder.decode(Array(text.utf8)) }

    func withDomU(_ domU: String, shared: String = "") -> String {
        Self.base.replacingOccurrences(of: "\"direct_map\": true}]", with: "\"direct_map\": true}, \(domU)]\(shared)")
    }

    func message(_ text: String) -> String? {
        do { _ = try decode(text) } catch { return error.description }
        return nil
    }

    @Test func decodesStaticMemoryPassthroughAndSharedMemory() throws {
        let spec = try decode(withDomU(
            #"{"name": "d1", "memory": "64M", "static_memory": [{"base": "0x50000000", "size": "64M"}], "passthrough": [{"device": "uart", "guest_address": "0x1c090000"}], "device_tree_memory": [{"base": "0x40000000", "size": "64M"}]}"#,
            shared: #", "shared_memory": [{"name": "shm", "base": "0x60000000", "size": "2M", "domains": [{"domain": "d1", "guest_address": "0x70000000"}, {"domain": "dom0", "guest_address": "0x60000000"}]}]"#))
        let d1 = spec.domains[1]
        #expect(d1.staticMemory.map(\.range) == [AddressRange(uncheckedBase: MachineAddress(0x5000_0000), size: 64 << 20)])
        #expect(d1.staticMemory[0].origin.path == "/domains/1/static_memory/0")
        #expect(d1.passthrough == [PassthroughRegion(device: "uart", guestBase: GuestAddress(0x1C09_0000), origin: d1.passthrough[0].origin)])
        #expect(d1.deviceTreeMemory == [AddressRange(uncheckedBase: GuestAddress(0x4000_0000), size: 64 << 20)])
        #expect(spec.sharedMemory.count == 1 && spec.sharedMemory[0].domains.map(\.domain) == ["d1", "dom0"])
    }

    @Test func errorsNameThePath() {
        #expect(message(withDomU(#"{"name": "d1", "memory": "64M", "passthrough": [{"device": "nope", "guest_address": "0x1000"}]}"#))
            == "/domains/1/passthrough/0/device: device \"nope\" is not the name of any entry in /devices")
        #expect(message(withDomU(#"{"name": "d1", "memory": "64M", "passthrough": [{"device": "uart", "guest_address": "0x1001"}]}"#))
            == "/domains/1/passthrough/0/guest_address: guest_address must be 4K aligned (xen,reg addresses are page aligned)")
        #expect(message(withDomU(#"{"name": "d1", "memory": "64M", "static_memory": [{"base": "0x50000800", "size": "64M"}]}"#))
            == "/domains/1/static_memory/0: base and size must be 4K aligned")
        #expect(message(withDomU(#"{"name": "d1", "memory": "64M", "passthrough": [{"device": "uart", "guest_address": "0x1000", "p2m_type": "ram"}]}"#))?
            .hasPrefix("/domains/1/passthrough/0/p2m_type: unknown p2m type \"ram\"") == true)
        #expect(message(withDomU(#"{"name": "d1", "memory": "64M"}"#, shared: #", "shared_memory": [{"name": "s", "base": "0x60000000", "size": "2M", "domains": [{"domain": "d1", "guest_address": "0x70000000"}]}]"#))
            == "/shared_memory/0/domains: shared memory needs at least two domains")
        #expect(message(Self.base.replacingOccurrences(of: #""size": "8M", "domain": "dom0"}"#, with: #""size": "8M", "domain": "dom0", "format": "elf"}"#))
            == "/boot_modules/0/format: unknown value \"elf\"; expected one of arm64-image, zimage, uimage")
    }
}
