import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

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
    /// come back in catalogue order whatever the concurrency. The run unions
    /// several properties rely on (`RunUnions`) are built and proved once per
    /// call, by whichever property needs them first.
    public static func check(_ facts: SystemFacts, options: CheckOptions = CheckOptions(), selection: Set<PropertyID>? = nil) -> [PropertyResult] {
        let chosen = catalogue.filter { selection?.contains(type(of: $0).id) ?? true }
        let lemmas = RunUnionCache.current ?? RunUnionCache()
        if options.concurrency <= 1 || chosen.count <= 1 || CheckContext.current != nil {
            return chosen.map { property in withOwnContext(lemmas) { checkOne(property, facts, options) } }
        }
        return concurrentMap(chosen.count, width: options.concurrency) { i in withOwnContext(lemmas) { checkOne(chosen[i], facts, options) } }
    }

    /// Runs `body` with a Z3 context shared by the queries it makes (unless
    /// one is already set) and with the check's cache of run unions.
    private static func withOwnContext(_ lemmas: RunUnionCache, _ body: () -> PropertyResult) -> PropertyResult {
        RunUnionCache.$current.withValue(lemmas) {
            if CheckContext.current != nil { return body() }
            return CheckContext.$current.withValue((try? Z3Context()).map(CheckContext.init)) { body() }
        }
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
