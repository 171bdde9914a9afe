extension ExitStatus {
    /// How bad a status is when several specs are checked at once: violated
    /// is worst, then bad input, then unknown, then proved.
    var severity: Int {
        switch self {
        case .proved: return 0
        case .unknown: return 1
        case .badInput: return 2
        case .violated: return 3
        }
    }

    /// The worst of `statuses`, or `.proved` when there are none.
    static func worst<S: Sequence>(_ statuses: S) -> ExitStatus where S.Element == ExitStatus {
        statuses.max { $0.severity < $1.severity } ?? .proved
    }
}
