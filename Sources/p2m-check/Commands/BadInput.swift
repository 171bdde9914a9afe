/// Why a spec could not be used (exit 2): the one-line message users see,
/// and its parts for the JSON and SARIF reports.
struct BadInput: Equatable {
    /// `spec:line:column: /json/path: reason`, or `spec: reason` when there is no position.
    var message: String
    /// JSON Pointer of the offending value ("/" for the document), when the spec was read.
    var jsonPath: String?
    /// 1-based line and column of the offending value, when known.
    var line: Int?
    var column: Int?
    /// The reason alone, without file, position or path.
    var reason: String
}
