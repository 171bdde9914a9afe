/// The Xen release a spec describes (`xen_version`, "MAJOR.MINOR" or
/// "MAJOR.MINOR.PATCH"). Rules that changed between releases are keyed by it;
/// each such rule names the Xen commit that changed it (docs/xen-rules.md).
public struct XenVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    /// The release the project's real-Xen oracle boots (Debian 12's Xen 4.17),
    /// and the default when a spec names none.
    public static let oracleDefault = XenVersion(major: 4, minor: 17, patch: 0)
    /// The oldest and newest releases whose rules the model describes.
    public static let oldestModelled = XenVersion(major: 4, minor: 17, patch: 0)
    public static let newestModelled = XenVersion(major: 4, minor: 22, patch: 99)

    public init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses "4.17", "4.19.2" (digits only, two or three parts, each under 1000).
    /// Returns nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0 >= "0" && $0 <= "9" }), let n = Int(part) else { return nil }
            numbers.append(n)
        }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers.count == 3 ? numbers[2] : 0)
    }

    public static func < (a: XenVersion, b: XenVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}
