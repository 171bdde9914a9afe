/// An RFC 6901 JSON Pointer, e.g. `/devices/3/base`.
public struct JSONPointer: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Reference tokens, unescaped.
    public private(set) var tokens: [String] = []

    public static let root = JSONPointer()

    public func appending(key: String) -> JSONPointer {
        var p = self
        p.tokens.append(key)
        return p
    }

    public func appending(index: Int) -> JSONPointer { appending(key: String(index)) }

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
