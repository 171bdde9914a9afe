import Dispatch
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
    ///
    /// Properties are independent queries over the same facts, so they run
    /// on up to `options.concurrency` threads at once, each with Z3 contexts
    /// of its own (Z3 contexts are never shared between threads). Results
    /// come back in catalogue order whatever the concurrency.
    public static func check(_ facts: SystemFacts, options: CheckOptions = CheckOptions(), selection: Set<PropertyID>? = nil) -> [PropertyResult] {
        let chosen = catalogue.filter { selection?.contains(type(of: $0).id) ?? true }
        if options.concurrency <= 1 || chosen.count <= 1 || CheckContext.current != nil {
            return chosen.map { property in withOwnContext { checkOne(property, facts, options) } }
        }
        let results = ResultSlots(count: chosen.count)
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: min(options.concurrency, chosen.count)) { _ in
            while let i = next.take(below: chosen.count) {
                results.store(withOwnContext { checkOne(chosen[i], facts, options) }, at: i)
            }
        }
        return results.values
    }

    /// Runs `body` with a Z3 context shared by the queries it makes (unless one is already set).
    private static func withOwnContext(_ body: () -> PropertyResult) -> PropertyResult {
        if CheckContext.current != nil { return body() }
        return CheckContext.$current.withValue((try? Z3Context()).map(CheckContext.init)) { body() }
    }

    /// One property's result; a Z3 error makes it "unknown" with the error as reason.
    private static func checkOne(_ property: any InvariantProperty, _ facts: SystemFacts, _ options: CheckOptions) -> PropertyResult {
        do {
            return try property.check(facts, options: options)
        } catch {
            return PropertyResult(property: type(of: property).id, verdict: .unknown(reason: "solver error: \(error)"), queries: 0, seconds: 0)
        }
    }
}
