/// An RFC 6901 JSON Pointer, e.g. `/devices/3/base`.
///
/// Stored as a link to its parent, so that the parser can give every value
/// its pointer in constant time and memory (a flat array of a million
/// numbers does not copy a million token lists).
public struct JSONPointer: Equatable, Hashable, Sendable, CustomStringConvertible {
    private enum Token: Hashable, Sendable {
        case key(String)
        case index(Int)

        var text: String {
            switch self {
            case .key(let k): return k
            case .index(let i): return String(i)
            }
        }
    }

    private final class Node: Sendable {
        let parent: Node?
        let token: Token
        let depth: Int

        init(parent: Node?, token: Token) {
            self.parent = parent
            self.token = token
            self.depth = (parent?.depth ?? 0) + 1
        }
    }

    private let last: Node?

    private init(last: Node?) { self.last = last }

    public init() { last = nil }

    public static let root = JSONPointer()

    /// Reference tokens, unescaped, from the root.
    public var tokens: [String] {
        var out: [String] = []
        var node = last
        while let n = node {
            out.append(n.token.text)
            node = n.parent
        }
        return out.reversed()
    }

    public func appending(key: String) -> JSONPointer { JSONPointer(last: Node(parent: last, token: .key(key))) }

    public func appending(index: Int) -> JSONPointer { JSONPointer(last: Node(parent: last, token: .index(index))) }

    public static func == (a: JSONPointer, b: JSONPointer) -> Bool {
        var x = a.last
        var y = b.last
        while true {
            switch (x, y) {
            case (nil, nil): return true
            case (let p?, let q?):
                if p === q { return true }
                guard p.depth == q.depth, p.token.text == q.token.text else { return false }
                x = p.parent
                y = q.parent
            default: return false
            }
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(tokens) }

    /// The pointer as RFC 6901 text: `""` for the root, `~0` for `~` and `~1` for `/` in tokens.
    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    /// Like `description`, but the root prints as `/` so messages never start with an empty path.
    public var displayString: String { tokens.isEmpty ? "/" : description }
}

extension String {
    /// Plain substring replacement without Foundation.
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    fileprivate func range(of target: String) -> Range<Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
