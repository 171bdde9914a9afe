import ArgumentParser

/// Output formats of a check.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
