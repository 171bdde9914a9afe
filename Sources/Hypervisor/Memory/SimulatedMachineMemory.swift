import P2MModel

/// Sparse simulated machine memory: only 4 KiB frames that were written hold
/// storage; everything else reads as zero, like freshly scrubbed RAM.
public struct SimulatedMachineMemory: MachineMemory, Sendable {
    private var frames: [UInt64: [UInt64]] = [:]

    public init() {}

    public func read64(_ address: MachineAddress) -> UInt64 {
        precondition(address.isAligned(to: 8), "unaligned 64-bit read")
        guard let frame = frames[address.frameNumber] else { return 0 }
        return frame[Int((address.rawValue & 0xFFF) >> 3)]
    }

    public mutating func write64(_ value: UInt64, at address: MachineAddress) {
        precondition(address.isAligned(to: 8), "unaligned 64-bit write")
        let index = Int((address.rawValue & 0xFFF) >> 3)
        if frames[address.frameNumber] == nil {
            if value == 0 { return }
            frames[address.frameNumber] = [UInt64](repeating: 0, count: 512)
        }
        frames[address.frameNumber]![index] = value
    }

    /// Number of frames that hold storage (were written with a non-zero word).
    public var touchedFrameCount: Int { frames.count }
}
