import Foundation

/// The vertical scale of the memory picture: every stretch between two
/// region boundaries is a segment whose height grows with the log of its
/// size, so a 4K page and a 1T bank are both readable (12 px for 4K or less,
/// 3.5 px more per doubling: 2M is 43.5 px, 1G 75 px, 1T 110 px). Stretches
/// no region covers are gaps: a fixed, short height and a label with their
/// size. Within a segment, addresses are placed linearly.
struct PiecewiseScale {
    struct Segment {
        var span: MemoryPicture.Span
        var top: Double
        var height: Double
        /// Nothing in any column covers it.
        var isGap: Bool
    }

    static let minimumHeight = 12.0
    static let heightPerDoubling = 3.5
    static let gapHeight = 14.0

    private(set) var segments: [Segment] = []
    let top: Double

    /// - Parameters:
    ///   - spans: every span drawn (machine and guest); their bounds are the segment boundaries.
    ///   - top: the y coordinate of the lowest address.
    init(spans: [MemoryPicture.Span], top: Double) {
        self.top = top
        let bounds = Set(spans.flatMap { [$0.base, $0.end] }).sorted()
        var y = top
        for (low, high) in zip(bounds, bounds.dropFirst()) {
            let span = MemoryPicture.Span(base: low, size: high - low)
            let covered = spans.contains { $0.overlaps(span) }
            let height = covered ? Self.height(of: span.size) : Self.gapHeight
            segments.append(Segment(span: span, top: y, height: height, isGap: !covered))
            y += height
        }
    }

    /// Height of a covered segment of `size` bytes.
    static func height(of size: UInt64) -> Double {
        minimumHeight + heightPerDoubling * max(0, log2(Double(size)) - 12)
    }

    /// The bottom of the picture's address axis.
    var bottom: Double { segments.last.map { $0.top + $0.height } ?? top }

    /// The y coordinate of `address` (clamped to the axis).
    func y(_ address: UInt64) -> Double {
        guard let first = segments.first, address > first.span.base else { return top }
        // Binary search for the segment holding the address.
        var low = 0
        var high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].span.end <= address { low = mid + 1 } else { high = mid }
        }
        guard low < segments.count else { return bottom }
        let s = segments[low]
        return s.top + s.height * Double(address - s.span.base) / Double(s.span.size)
    }
}
