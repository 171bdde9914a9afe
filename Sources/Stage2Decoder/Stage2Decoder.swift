import P2MModel

/// Read access to the machine memory that holds stage-2 tables: all the
/// decoder needs, so that it depends on no writer of tables. Whatever holds
/// the words (the builder's simulated memory, a dump, real RAM) conforms.
public protocol TableMemory {
    /// The 64-bit word at `address`.
    /// - Precondition: `address` is 8-byte aligned.
    func read64(_ address: MachineAddress) -> UInt64
}

/// Reads a domain's stage-2 tables out of machine memory level by level, as
/// the MMU walks them, starting from the root (VTTBR). It shares nothing with
/// the builder's bookkeeping: only the memory words and the architectural
/// descriptor format are used, so a builder that records one thing and writes
/// another cannot hide a bad table.
public enum Stage2Decoder {
    /// Leaves after which the walk gives up (reported as incomplete, never as proved).
    public static let defaultLeafBudget = 8_000_000

    /// Output-address bits the MMU of `architecture` reads from a descriptor:
    /// 48 on ARMv8 (bits 47:12), 40 on ARMv7 LPAE, whose MMU ignores bits
    /// 47:40 (UNK/SBZP there).
    public static func outputAddressBits(for architecture: Architecture) -> Int {
        architecture == .arm32LPAE ? 40 : 48
    }

    /// Walks every root page and every valid entry below it.
    ///
    /// - Parameter outputAddressBits: how many bits of output address the MMU
    ///   reads (`outputAddressBits(for:)`); descriptor bits from there up to
    ///   bit 47 are ignored for translation, as the MMU ignores them, and
    ///   reported as reserved bits set (Xen writes them as zero).
    public static func decode<Memory: TableMemory>(root: MachineAddress, configuration: Stage2Configuration, memory: Memory, outputAddressBits: Int = 48, leafBudget: Int = defaultLeafBudget) -> DecodedStage2 {
        var walker = Walker(memory: memory, budget: leafBudget)
        walker.ignoredOutputBits = outputAddressBits >= 48 ? 0 : Stage2Descriptor.outputAddressMask & ~((UInt64(1) << UInt64(outputAddressBits)) - 1)
        for page in 0..<configuration.rootPageCount {
            let address = MachineAddress(root.rawValue + UInt64(page) * 4096)
            let guestBase = UInt64(page) << (configuration.rootLevel.indexShift + 9)
            walker.tablePages.append(DecodedTablePage(address: address, level: configuration.rootLevel, referencedFrom: nil))
            walker.seenTables.insert(address.rawValue)
            walker.walk(table: address, level: configuration.rootLevel, guestBase: guestBase)
        }
        return DecodedStage2(
            configuration: configuration, root: root, leaves: walker.leaves, runs: coalesce(walker.leaves),
            tablePages: walker.tablePages, anomalies: walker.anomalies, isComplete: !walker.budgetExceeded)
    }

    /// Merges consecutive leaves into runs (see `TranslationRun`).
    public static func coalesce(_ leaves: [DecodedLeaf]) -> [TranslationRun] {
        var runs: [TranslationRun] = []
        for (i, leaf) in leaves.enumerated() {
            let bits = leaf.descriptor.rawValue & ~Stage2Descriptor.outputAddressMask & ~0b10
            if var last = runs.last, last.attributeBits == bits,
               let guestEnd = last.guest.end, guestEnd == leaf.guest.base,
               let machineEnd = last.machineRange.end, machineEnd == leaf.machine,
               leaf.guest.last != nil {
                last.guest = AddressRange(uncheckedBase: last.guest.base, size: last.guest.size + leaf.guest.size)
                last.leafCount += 1
                runs[runs.count - 1] = last
            } else {
                runs.append(TranslationRun(guest: leaf.guest, machine: leaf.machine, attributeBits: bits, firstLeaf: i, leafCount: 1))
            }
        }
        return runs
    }

    private struct Walker<Memory: TableMemory> {
        let memory: Memory
        let budget: Int
        var leaves: [DecodedLeaf] = []
        var tablePages: [DecodedTablePage] = []
        var anomalies: [WalkAnomaly] = []
        var seenTables: Set<UInt64> = []
        var budgetExceeded = false
        /// Output-address bits the MMU ignores (ARMv7 LPAE: 47:40).
        var ignoredOutputBits: UInt64 = 0

        init(memory: Memory, budget: Int) {
            self.memory = memory
            self.budget = budget
        }

        mutating func walk(table: MachineAddress, level: TranslationLevel, guestBase: UInt64) {
            for index in 0..<512 {
                if budgetExceeded { return }
                let slot = MachineAddress(table.rawValue + UInt64(index) * 8)
                let descriptor = Stage2Descriptor(rawValue: memory.read64(slot))
                let guest = guestBase + UInt64(index) * level.entrySize
                let ignored = descriptor.rawValue & ignoredOutputBits
                if descriptor.isValid && (descriptor.reservedBits | ignored) != 0 {
                    anomalies.append(.reservedBitsSet(descriptorAddress: slot, bits: descriptor.reservedBits | ignored))
                }
                switch Stage2Descriptor(rawValue: descriptor.rawValue & ~ignored).kind(at: level) {
                case .invalid:
                    continue
                case .reserved:
                    anomalies.append(.reservedEncoding(descriptorAddress: slot, level: level, guest: GuestAddress(guest)))
                case .table(let next):
                    // A table descriptor at level 3 is a page, so `next` always exists here.
                    guard let nextLevel = level.next else { continue }
                    if !seenTables.insert(next.rawValue).inserted || next.rawValue == table.rawValue {
                        anomalies.append(.tablePageSharedOrLooped(page: next))
                    }
                    tablePages.append(DecodedTablePage(address: next, level: nextLevel, referencedFrom: slot))
                    walk(table: next, level: nextLevel, guestBase: guest)
                case .block(let out), .page(let out):
                    if leaves.count >= budget {
                        budgetExceeded = true
                        anomalies.append(.walkBudgetExceeded(leaves: leaves.count))
                        return
                    }
                    leaves.append(DecodedLeaf(
                        guest: AddressRange(uncheckedBase: GuestAddress(guest), size: level.entrySize),
                        machine: out, level: level, descriptor: descriptor, descriptorAddress: slot))
                }
            }
        }
    }
}
