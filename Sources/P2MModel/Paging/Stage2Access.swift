/// Stage-2 access permissions: S2AP[1:0] (bit 7 write, bit 6 read) and the
/// execute-never bit (bit 54).
public struct Stage2Access: Hashable, Sendable, CustomStringConvertible {
    public var read: Bool
    public var write: Bool
    public var executeNever: Bool

    public init(read: Bool, write: Bool, executeNever: Bool) {
        self.read = read
        self.write = write
        self.executeNever = executeNever
    }

    public var description: String {
        (read ? "r" : "-") + (write ? "w" : "-") + (executeNever ? "-" : "x")
    }
}
