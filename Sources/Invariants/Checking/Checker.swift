import Hypervisor
import P2MModel

/// Runs the invariant catalogue over a built system.
public enum Checker {
    /// The properties in report order.
    static let catalogue: [any InvariantProperty] = [
        LoadDisjoint(), LoadInRAM(), S2Injective(), Isolation(), HypPrivate(), Identity(),
        IPADisjoint(), Attributes(), LeafInBacking(), Ranges(), DTConsistent(), ModuleRules(),
    ]

    /// Decodes the system's tables and checks each property in `selection` (all by default).
    /// Never throws: a Z3 error makes that property "unknown" with the error as reason.
    public static func check(_ system: BuiltSystem, options: CheckOptions = CheckOptions(), selection: Set<PropertyID>? = nil) -> [PropertyResult] {
        let facts = SystemFacts(system: system)
        return check(facts, options: options, selection: selection)
    }

    /// Checks each property in `selection` over already decoded facts.
    public static func check(_ facts: SystemFacts, options: CheckOptions = CheckOptions(), selection: Set<PropertyID>? = nil) -> [PropertyResult] {
        if CheckContext.current != nil { return checkEach(facts, options: options, selection: selection) }
        let shared = (try? Z3Context()).map(CheckContext.init)
        return CheckContext.$current.withValue(shared) { checkEach(facts, options: options, selection: selection) }
    }

    private static func checkEach(_ facts: SystemFacts, options: CheckOptions, selection: Set<PropertyID>?) -> [PropertyResult] {
        catalogue.filter { selection?.contains(type(of: $0).id) ?? true }.map { property in
            do {
                return try property.check(facts, options: options)
            } catch {
                return PropertyResult(property: type(of: property).id, verdict: .unknown(reason: "solver error: \(error)"), queries: 0, seconds: 0)
            }
        }
    }
}
