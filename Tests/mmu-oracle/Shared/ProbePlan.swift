import P2MModel

/// What the host asks the bare-metal image to do, as little-endian 64-bit
/// words that QEMU's loader places at `OracleBoard.planBase`:
///
/// ```
/// magic, probe count, access count, stub count, patch count,
/// probes:   domain, guest address
/// accesses: domain, guest address, machine address, value
/// stubs:    domain, guest address, machine address
/// patches:  descriptor address, xor mask
/// ```
///
/// Both sides compile this file, so the encoding has one definition.
public struct ProbePlan: Equatable, Sendable {
    /// "P2MPLAN1" read as a little-endian word.
    public static let magic: UInt64 = 0x314E_414C_504D_3250

    /// Ask the MMU (`AT S12E1R`) to translate `guest` in `domain`'s stage 2.
    public struct Probe: Equatable, Sendable {
        public var domain: Int
        public var guest: GuestAddress
        public init(domain: Int, guest: GuestAddress) {
            self.domain = domain
            self.guest = guest
        }
    }

    /// Run the domain's guest at EL1: it stores `value` at `guest` and loads
    /// it back; EL2 then reads `machine`, where the checker says it landed.
    public struct Access: Equatable, Sendable {
        public var domain: Int
        public var guest: GuestAddress
        public var machine: MachineAddress
        public var value: UInt64
        public init(domain: Int, guest: GuestAddress, machine: MachineAddress, value: UInt64) {
            self.domain = domain
            self.guest = guest
            self.machine = machine
            self.value = value
        }
    }

    /// Where a domain's guest code goes: a page of its RAM, by guest address
    /// and the machine address that backs it.
    public struct Stub: Equatable, Sendable {
        public var domain: Int
        public var guest: GuestAddress
        public var machine: MachineAddress
        public init(domain: Int, guest: GuestAddress, machine: MachineAddress) {
            self.domain = domain
            self.guest = guest
            self.machine = machine
        }
    }

    /// Fault injection: XOR a stored descriptor after the tables are built,
    /// so that the MMU walks something the checker did not decode.
    public struct Patch: Equatable, Sendable {
        public var descriptor: MachineAddress
        public var xorMask: UInt64
        public init(descriptor: MachineAddress, xorMask: UInt64) {
            self.descriptor = descriptor
            self.xorMask = xorMask
        }
    }

    public var probes: [Probe]
    public var accesses: [Access]
    public var stubs: [Stub]
    public var patches: [Patch]

    public init(probes: [Probe], accesses: [Access] = [], stubs: [Stub] = [], patches: [Patch] = []) {
        self.probes = probes
        self.accesses = accesses
        self.stubs = stubs
        self.patches = patches
    }

    /// The plan as words.
    public var words: [UInt64] {
        var w: [UInt64] = [Self.magic, UInt64(probes.count), UInt64(accesses.count), UInt64(stubs.count), UInt64(patches.count)]
        for p in probes { w += [UInt64(p.domain), p.guest.rawValue] }
        for a in accesses { w += [UInt64(a.domain), a.guest.rawValue, a.machine.rawValue, a.value] }
        for s in stubs { w += [UInt64(s.domain), s.guest.rawValue, s.machine.rawValue] }
        for p in patches { w += [p.descriptor.rawValue, p.xorMask] }
        return w
    }

    /// Words a plan of these counts occupies.
    static func wordCount(probes: UInt64, accesses: UInt64, stubs: UInt64, patches: UInt64) -> UInt64 {
        5 + 2 * probes + 4 * accesses + 3 * stubs + 2 * patches
    }

    /// Decodes a plan from `availableWords` words read by `word(i)`.
    /// - Throws: `ProbePlanError` for a bad magic or counts that overrun the area.
    public static func decode(availableWords: UInt64, word: (UInt64) -> UInt64) throws(ProbePlanError) -> ProbePlan {
        guard availableWords >= 5 else { throw .truncated }
        guard word(0) == magic else { throw .badMagic(word(0)) }
        let counts = (word(1), word(2), word(3), word(4))
        let limit = availableWords / 2
        guard counts.0 < limit, counts.1 < limit, counts.2 < limit, counts.3 < limit,
              wordCount(probes: counts.0, accesses: counts.1, stubs: counts.2, patches: counts.3) <= availableWords
        else { throw .truncated }
        var i: UInt64 = 5
        func next() -> UInt64 {
            defer { i += 1 }
            return word(i)
        }
        var plan = ProbePlan(probes: [])
        for _ in 0..<counts.0 {
            let domain = Int(next())
            plan.probes.append(Probe(domain: domain, guest: GuestAddress(next())))
        }
        for _ in 0..<counts.1 {
            let domain = Int(next())
            let guest = GuestAddress(next())
            let machine = MachineAddress(next())
            plan.accesses.append(Access(domain: domain, guest: guest, machine: machine, value: next()))
        }
        for _ in 0..<counts.2 {
            let domain = Int(next())
            let guest = GuestAddress(next())
            plan.stubs.append(Stub(domain: domain, guest: guest, machine: MachineAddress(next())))
        }
        for _ in 0..<counts.3 {
            let descriptor = MachineAddress(next())
            plan.patches.append(Patch(descriptor: descriptor, xorMask: next()))
        }
        return plan
    }
}

/// Why a plan could not be read.
public enum ProbePlanError: Error, Equatable {
    /// The first word is not `ProbePlan.magic` (QEMU loaded no plan, or a different file).
    case badMagic(UInt64)
    /// The counts claim more words than the plan area holds.
    case truncated

    public var message: String {
        switch self {
        case .badMagic(let w): return "no probe plan at the plan address (first word \(Hex.format(w)))"
        case .truncated: return "probe plan counts overrun the plan area"
        }
    }
}
