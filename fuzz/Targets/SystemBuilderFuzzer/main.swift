import FuzzSupport
import Hypervisor
import Invariants
import P2MModel
import SpecFormat

// Runs the hypervisor's p2m code on every input that decodes as a spec, then
// decodes the tables it wrote as the MMU would. The builder either builds
// the system or refuses it with a `BuildError` (what Xen would panic on);
// the table decoder must walk whatever was built. A trap anywhere in the
// model of the hypervisor (overflow, out-of-bounds, failed precondition) is
// a finding. No Z3 query is run: the solver is not what is fuzzed here.
runFuzzer { bytes in
    let spec: BoardSpec
    do throws(SpecError) { spec = try SpecDecoder.decode(bytes) } catch { return }
    // Keep one input cheap: the model allocates real simulated memory for
    // every table page, and a debug build maps a few GiB per second.
    let requested = spec.domains.reduce(UInt64(0)) { $0 &+ $1.memorySize }
    guard requested <= 4 << 30 else { return }
    let system: BuiltSystem
    do throws(BuildError) { system = try SystemBuilder.build(spec) } catch { return }
    let facts = SystemFacts(system: system)
    precondition(facts.domains.count == spec.domains.count, "a built domain has no decoded tables")
    precondition(facts.loadRegions.count >= 1 + spec.bootModules.count, "load regions lost")
}
