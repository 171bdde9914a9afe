import ArgumentParser

/// Output formats of a check.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    /// SARIF 2.1.0 for code-scanning tools.
    case sarif
}
