import ArgumentParser

/// `p2m-check explain [<property-id>]`: what a property means, why it
/// matters, and how to fix its usual causes. Without an id, lists the ids.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a property: what it means, why it matters, how to fix the usual causes.",
        discussion: """
            Examples:
              p2m-check explain                  # every property id
              p2m-check explain load-disjoint
            """
    )

    @Argument(help: "A property id (load-disjoint, load-in-ram, ...). Omit it to list them all.",
              completion: .list(ExplanationCatalogue.ids))
    var property: String?

    func validate() throws {
        if let id = property, ExplanationCatalogue.explanation(for: id) == nil {
            throw ValidationError("unknown property \"\(id)\"; expected one of \(ExplanationCatalogue.ids.joined(separator: ", "))")
        }
    }

    func run() throws {
        if let id = property, let explanation = ExplanationCatalogue.explanation(for: id) {
            print(explanation.rendered(), terminator: "")
            return
        }
        let width = ExplanationCatalogue.ids.map(\.count).max() ?? 0
        print("Properties (p2m-check explain <id> for details):")
        for e in ExplanationCatalogue.all {
            print("  \(e.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(e.summary)")
        }
    }
}
