import Invariants
import P2MModel

/// What `p2m-check render` draws, independent of the output format: the
/// machine address space in lanes (memory, boot layout, table pages, domain
/// RAM), each domain's guest address space as decoded from its tables, the
/// bands from guest mappings to the machine memory they reach, and the
/// violations (regions, overlaps, witnesses).
///
/// Guest and machine addresses are different spaces; the picture puts them on
/// one vertical number line so that a 1:1 mapping is a horizontal band. Picture
/// items therefore hold plain `UInt64` bounds (`Span`), not typed addresses.
struct MemoryPicture {
    /// A half-open stretch of the picture's number line.
    struct Span: Hashable {
        var base: UInt64
        var size: UInt64
        var end: UInt64 { base &+ size }

        init(base: UInt64, size: UInt64) {
            self.base = base
            // A region ending at 2^64 is drawn up to the last byte.
            self.size = base &+ size < base ? UInt64.max - base : size
        }

        init<A: PhysicalAddress>(_ range: AddressRange<A>) { self.init(base: range.base.rawValue, size: range.size) }

        func overlaps(_ other: Span) -> Bool { base < other.end && other.base < end }
        func contains(_ other: Span) -> Bool { base <= other.base && other.end <= end }
    }

    /// One rectangle: a region of machine or guest space.
    struct Region {
        var name: String
        /// CSS class and legend entry: `ram-bank`, `device`, `boot-module`, `guest-ram`, `guest-mmio`, ...
        var kind: String
        var span: Span
        /// The spec entry that produced it, when there is one.
        var origin: SpecOrigin?
        /// Lane inside the column (0-based), from `lanes(for:)`.
        var lane = 0
        /// Named by a violation.
        var violated = false
        /// For a guest region: the machine span it maps to.
        var machine: Span?
    }

    /// A vertical strip of lanes: the machine space, or one domain's guest space.
    struct Column {
        /// `machine`, or `guest:<domain>`.
        var id: String
        var title: String
        /// Lane group titles, left to right, with how many lanes each has.
        var groups: [(title: String, lanes: Int)]
        var regions: [Region]
        var laneCount: Int { groups.reduce(0) { $0 + $1.lanes } }
    }

    /// A red mark at one address of a column.
    struct Witness {
        /// 0 for the machine column, 1 + domain index for a guest column.
        var column: Int
        var address: UInt64
        var property: String
    }

    /// The bytes two violating regions share, hatched red in the machine column.
    struct Overlap {
        var span: Span
        var property: String
    }

    var title: String
    /// One line saying what the checker concluded.
    var verdictLine: String
    /// The check's exit status: the verdict line is red when violated (or
    /// not buildable), amber when unknown, green when every property is proved.
    var status: ExitStatus
    /// Column 0 is the machine space; then one column per domain.
    var columns: [Column]
    var witnesses: [Witness]
    var overlaps: [Overlap]
    /// Property results, for the HTML table (empty when the system could not be built).
    var results: [PropertyResult]
}
