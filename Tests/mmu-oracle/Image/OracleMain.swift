import Hypervisor
import P2MModel

/// The bare-metal MMU oracle, entered at EL2 from start.S:
///
/// 1. reads the host's probe plan from `OracleBoard.planBase`;
/// 2. runs `SystemBuilder` (the hypervisor's placement and domain building)
///    on `OracleBoard`, then writes every domain's stage-2 tables into real
///    machine memory with `P2M` over `BareMetalMemory`, mapping what the
///    builder allocated in the builder's order, and compares the words with
///    the builder's simulated memory;
/// 3. applies the plan's descriptor patches (fault injection);
/// 4. for each probe, points VTTBR_EL2 at the domain's root and asks the MMU
///    with `AT S12E1R` (arm32: `ATS12NSOPR` from Hyp mode), printing PAR;
/// 5. runs each domain's guest at EL1 for the plan's accesses.
@_cdecl("oracle_main")
public func oracleMain() {
    Console.line("oracle begin arch=\(OracleBoard.imageArchitecture.rawValue) el=\(oracle_current_el())")
    let plan: ProbePlan
    do {
        plan = try ProbePlan.decode(availableWords: OracleBoard.planSize / 8) { BareMetalMemory.load(OracleBoard.planBase + $0 * 8) }
    } catch {
        Console.line("oracle error \(error.message)")
        return
    }
    let system: BuiltSystem
    do {
        system = try SystemBuilder.build(OracleBoard.spec(architecture: OracleBoard.imageArchitecture))
    } catch {
        Console.line("oracle error the hypervisor refused the board: \(error.description)")
        return
    }
    var memory = BareMetalMemory(writable: system.domains.map { $0.pool.range })
    var registers: [Stage2Registers] = []
    for domain in system.domains {
        do {
            try writeTables(of: domain, into: &memory)
        } catch {
            Console.line("oracle error \(domain.spec.name): \(error.description)")
            return
        }
        let differing = differingWords(in: domain.pool.range, real: memory, simulated: system.memory)
        let stage2 = Stage2Registers(configuration: domain.configuration, root: domain.rootAddress, vmid: UInt64(domain.domainID + 1))
        registers.append(stage2)
        Console.line("domain index=\(domain.domainID) name=\(domain.spec.name) root=\(Console.hex(domain.rootAddress.rawValue)) vtcr=\(Console.hex(stage2.vtcr)) vttbr=\(Console.hex(stage2.vttbr)) pool=\(Console.hex(domain.pool.range.base.rawValue)) words=\(domain.pool.range.size / 8) differing=\(differing)")
    }
    for patch in plan.patches {
        let old = BareMetalMemory.load(patch.descriptor.rawValue)
        BareMetalMemory.store(old ^ patch.xorMask, at: patch.descriptor.rawValue)
        Console.line("patch descriptor=\(Console.hex(patch.descriptor.rawValue)) old=\(Console.hex(old)) new=\(Console.hex(old ^ patch.xorMask))")
    }
    var installed = -1
    func use(_ domain: Int) -> Bool {
        guard domain >= 0 && domain < registers.count else {
            Console.line("oracle error the plan names domain \(domain), the board has \(registers.count)")
            return false
        }
        if installed != domain {
            registers[domain].install()
            installed = domain
        }
        return true
    }
    for probe in plan.probes {
        guard use(probe.domain) else { return }
        let par = oracle_at_s12e1r(probe.guest.rawValue)
        Console.line("probe domain=\(probe.domain) guest=\(Console.hex(probe.guest.rawValue)) par=\(Console.hex(par))")
    }
    for stub in plan.stubs {
        GuestAccess.install(stub)
    }
    for access in plan.accesses {
        guard use(access.domain) else { return }
        guard let stub = plan.stubs.first(where: { $0.domain == access.domain }) else {
            Console.line("oracle error no guest code page for domain \(access.domain)")
            return
        }
        GuestAccess.perform(access, entry: stub.guest)
    }
    Console.line("oracle end probes=\(plan.probes.count) accesses=\(plan.accesses.count)")
}

/// Writes `domain`'s tables with the hypervisor's `P2M`: its RAM chunks as
/// `p2m_ram_rw`, then its devices as the MMIO type, as `SystemBuilder` does.
private func writeTables(of domain: BuiltDomain, into memory: inout BareMetalMemory) throws(P2MError) {
    var p2m = try P2M(configuration: domain.configuration, pool: P2MPool(range: domain.pool.range), memory: &memory)
    for chunk in domain.ram {
        try p2m.map(guest: chunk.guest.base, machine: chunk.machine, pageCount: chunk.guest.size / 4096, type: .ramReadWrite, memory: &memory)
    }
    for device in domain.devices {
        try p2m.map(guest: device.guest.base, machine: device.machine, pageCount: device.guest.size / 4096, type: MMIOPolicy.hardwareDomainType, memory: &memory)
    }
    precondition(p2m.rootAddress == domain.rootAddress, "root moved")
}

/// Words of `range` where real memory and the builder's simulated memory differ.
private func differingWords(in range: AddressRange<MachineAddress>, real: BareMetalMemory, simulated: SimulatedMachineMemory) -> Int {
    var count = 0
    var address = range.base.rawValue
    while address < range.base.rawValue + range.size {
        if real.read64(MachineAddress(address)) != simulated.read64(MachineAddress(address)) { count += 1 }
        address += 8
    }
    return count
}
