import Hypervisor
import Invariants
import Stage2Decoder
import P2MModel

/// The host side of the oracle: the same board built with `SystemBuilder`,
/// each domain decoded with the checker's `Stage2Decoder`, the probe plan
/// chosen from the decoded tables, and the comparison of the MMU's answers
/// with the checker's.
struct OracleSession: Sendable {
    let target: OracleTarget
    let system: BuiltSystem
    let decoded: [DecodedStage2]
    let expected: [ExpectedTranslation]

    /// Builds the board for `target` and decodes its tables, after XOR-ing
    /// `patches` into the built memory (the same patches the image applies).
    init(_ target: OracleTarget, patches: [ProbePlan.Patch] = []) throws {
        var system = try SystemBuilder.build(OracleBoard.spec(architecture: target.architecture))
        for patch in patches {
            system.memory.write64(system.memory.read64(patch.descriptor) ^ patch.xorMask, at: patch.descriptor)
        }
        let decoded = system.domains.map {
            Stage2Decoder.decode(root: $0.rootAddress, configuration: $0.configuration, memory: system.memory,
                                 outputAddressBits: Stage2Decoder.outputAddressBits(for: target.architecture))
        }
        self.target = target
        self.system = system
        self.decoded = decoded
        self.expected = decoded.map { ExpectedTranslation(decoded: $0, paBits: system.spec.paBits) }
    }

    /// Every probe of every domain, the EL1 accesses and their code pages, and `patches`.
    func plan(patches: [ProbePlan.Patch] = [], accesses withAccesses: Bool = true) -> ProbePlan {
        var plan = ProbePlan(probes: [], patches: patches)
        for (index, tables) in decoded.enumerated() {
            plan.probes += ProbePlanner.probes(for: tables, inputLimit: target.inputLimit).map { ProbePlan.Probe(domain: index, guest: $0) }
        }
        guard withAccesses else { return plan }
        for (index, tables) in decoded.enumerated() {
            guard let stubPage = ProbePlanner.stubPage(for: tables), let stubLeaf = expected[index].leaf(containing: stubPage) else { continue }
            plan.stubs.append(ProbePlan.Stub(domain: index, guest: stubPage, machine: machine(of: stubPage, in: stubLeaf)))
            for (n, guest) in ProbePlanner.ramWords(for: tables, avoiding: stubPage).enumerated() {
                guard let leaf = expected[index].leaf(containing: guest) else { continue }
                let value: UInt64 = 0xC0DE_0000_0000_0000 | UInt64(index) << 32 | UInt64(n)
                plan.accesses.append(ProbePlan.Access(domain: index, guest: guest, machine: machine(of: guest, in: leaf), value: value))
            }
            // Another domain's RAM, by its machine address: unmapped here, so the guest must fault.
            for other in decoded.indices where other != index {
                guard let run = decoded[other].runs.first(where: { decoded[other].leaves[$0.firstLeaf].descriptor.p2mType == .ramReadWrite }) else { continue }
                let foreign = GuestAddress(run.machine.rawValue)
                if expected[index].leaf(containing: foreign) == nil {
                    plan.accesses.append(ProbePlan.Access(domain: index, guest: foreign, machine: MachineAddress(.max), value: 0xBAD0_0000_0000_0000 | UInt64(index)))
                }
            }
        }
        return plan
    }

    private func machine(of guest: GuestAddress, in leaf: DecodedLeaf) -> MachineAddress {
        MachineAddress(leaf.machine.rawValue + (guest.rawValue - leaf.guest.base.rawValue))
    }

    /// One probe: what the checker predicts and what the MMU said.
    struct ProbeComparison: Sendable, CustomStringConvertible {
        var domain: String
        var guest: GuestAddress
        var checker: MMUOutcome
        var mmu: MMUOutcome
        var par: UInt64
        var agrees: Bool { checker == mmu }
        var description: String {
            "\(domain) guest \(guest): checker says \(checker), MMU says \(mmu) (PAR \(Hex.format(par)))"
        }
    }

    /// Pairs every probe line with the checker's prediction.
    func compare(_ output: OracleOutput) -> [ProbeComparison] {
        output.probes.map { probe in
            let guest = GuestAddress(probe.guest)
            let name = system.domains.indices.contains(probe.domain) ? system.domains[probe.domain].spec.name : "domain \(probe.domain)"
            let checker = expected.indices.contains(probe.domain) ? expected[probe.domain].outcome(for: guest) : .fault(.other, level: -1, stage: 0)
            return ProbeComparison(domain: name, guest: guest, checker: checker, mmu: MMUOutcome(par: probe.par), par: probe.par)
        }
    }

    /// What is wrong with one EL1 access, or nil when the guest and EL2 saw what the checker predicts.
    func problem(with access: OracleOutput.Access) -> String? {
        let name = system.domains[access.domain].spec.name
        let at = "\(name) guest \(GuestAddress(access.guest))"
        guard let machine = access.machine else {
            let predicted = expected[access.domain].outcome(for: GuestAddress(access.guest))
            guard let seen = MMUOutcome(dataAbortESR: access.esr) else {
                return "\(at): expected a stage-2 data abort (\(predicted)), the guest exited with ESR_EL2 \(Hex.format(access.esr))"
            }
            let faultPage = (access.hpfar >> 4) << 12
            if seen != predicted || faultPage != access.guest & ~0xFFF {
                return "\(at): checker predicts \(predicted), the guest's access took \(seen) with HPFAR_EL2 IPA \(Hex.format(faultPage))"
            }
            return nil
        }
        let hvc = target.hvcExceptionClass
        if access.esr >> 26 != hvc || access.readESR >> 26 != hvc {
            return "\(at): the guest trapped with ESR_EL2 \(Hex.format(access.esr)) / \(Hex.format(access.readESR)) instead of returning by HVC"
        }
        if access.before == access.value || access.after != access.value {
            return "\(at): the guest wrote \(Hex.format(access.value)), but machine \(Hex.format(machine)) held \(Hex.format(access.before)) before and \(Hex.format(access.after)) after"
        }
        if access.loaded != access.value || access.readback != ~access.value {
            return "\(at): the guest read \(Hex.format(access.loaded)) after its write and \(Hex.format(access.readback)) after EL2 stored \(Hex.format(~access.value)) at machine \(Hex.format(machine))"
        }
        return nil
    }
}
