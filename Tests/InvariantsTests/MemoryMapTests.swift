import Foundation
import Hypervisor
@testable import Invariants
@testable import Z3
@testable import Stage2Decoder
import P2MModel
import SpecFormat
import Testing

/// The free-RAM view (`--layout`): free RAM is exactly the RAM that nothing
/// occupies, on every board spec of the repository.
struct MemoryMapTests {
    static let boards = ["arndale", "snow", "vexpress-ca15", "qemu-virt-arm64", "rpi4", "zcu102", "juno"]

    @Test(arguments: boards) func freeRAMIsRAMThatNothingOccupies(_ board: String) throws {
        let url = CorpusTests.specs.appendingPathComponent("\(board).json")
        let spec = try SpecDecoder.decode(Array(try Data(contentsOf: url)))
        let facts = SystemFacts(system: try SystemBuilder.build(spec))
        let map = MachineMemoryMap(facts: facts)
        let ram = IntervalSet(spec.ram.map(\.range))
        let occupied = IntervalSet(map.occupied.map(\.range))
        let free = IntervalSet(map.free)
        // Free = RAM minus everything occupied, exactly (as sets of addresses).
        #expect(free == ram.subtracting(occupied), "\(board)")
        // Reserved memory and every decoded guest mapping into RAM are occupied, never free.
        for r in spec.reserved { #expect(free.intersection(IntervalSet([r.range])) == .empty, "\(board): \(r.name) is reported free") }
        for domain in facts.domains {
            for run in domain.decoded.runs where ram.intersection(IntervalSet([run.machineRange])) != .empty {
                #expect(free.intersection(IntervalSet([run.machineRange])) == .empty, "\(board): \(domain.spec.name) RAM \(run.machineRange) is reported free")
            }
        }
        #expect(map.freeBytes == map.free.reduce(0) { $0 + $1.size })
        #expect(map.freeBytes > 0, "\(board): no free RAM at all")
    }
}
