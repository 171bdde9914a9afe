import Hypervisor
import P2MModel
import Testing

/// `allocate_memory_11` / `insert_11_bank` beyond the Arndale case.
struct DirectMapAllocatorTests {
    static let mib: UInt64 = 1 << 20

    @Test func aChunkEndingAtBank0ExtendsItDownwards() throws {
        // 1G of RAM at 2G, 768M requested: bank 0 is the highest 512M block
        // below 4G (0xA0000000); the 256M remainder (0x90000000) ends where
        // bank 0 starts, so bank 0 grows downwards. Chunks stay in allocation order.
        var heap = BootHeap(ram: [BoardFixtures.range(0x8000_0000, 1 << 30)], used: [])
        let a = try DirectMapAllocator.allocate(bytes: 768 * Self.mib, architecture: .arm64, domain: "dom0", heap: &heap)
        #expect(a.banks == [BoardFixtures.range(0x9000_0000, 768 * Self.mib)])
        #expect(a.chunks == [BoardFixtures.range(0xA000_0000, 512 * Self.mib), BoardFixtures.range(0x9000_0000, 256 * Self.mib)])
    }

    @Test func smallChunksBelowBank0AreRefused() {
        // 64M at 1G and 256M at 2G; 300M requested. Bank 0 = the 256M block.
        // The 44M remainder could only come from the low 64M, below bank 0 and
        // under 128M: insert_11_bank refuses it, low and high alike.
        var heap = BootHeap(ram: [BoardFixtures.range(0x4000_0000, 64 * Self.mib), BoardFixtures.range(0x8000_0000, 256 * Self.mib)], used: [])
        #expect(throws: BuildError.domainMemoryUnallocated(domain: "dom0", missingBytes: 44 * Self.mib)) {
            try DirectMapAllocator.allocate(bytes: 300 * Self.mib, architecture: .arm32LPAE, domain: "dom0", heap: &heap)
        }
    }

    @Test func arm32Dom0NeedsABank0Below4G() {
        var heap = BootHeap(ram: [BoardFixtures.range(0x8_8000_0000, 1 << 30)], used: [])
        #expect(throws: BuildError.firstBankUnavailable(domain: "dom0")) {
            try DirectMapAllocator.allocate(bytes: 256 * Self.mib, architecture: .arm32LPAE, domain: "dom0", heap: &heap)
        }
    }

    @Test func arm64Dom0WithNoLowRAMTakesHighMemory() throws {
        var heap = BootHeap(ram: [BoardFixtures.range(0x8_8000_0000, 1 << 30)], used: [])
        let a = try DirectMapAllocator.allocate(bytes: 256 * Self.mib, architecture: .arm64, domain: "dom0", heap: &heap)
        // No limit: the highest 256M block.
        #expect(a.banks == [BoardFixtures.range(0x8_B000_0000, 256 * Self.mib)])
    }
}
