import Synchronization

/// One result slot per property, each written once by whichever thread
/// checked that property (`Checker.check`).
final class ResultSlots: Sendable {
    private let slots: Mutex<[PropertyResult?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ result: PropertyResult, at index: Int) {
        slots.withLock { $0[index] = result }
    }

    /// Every slot's result, in order.
    /// - Precondition: every slot has been stored.
    var values: [PropertyResult] { slots.withLock { $0.map { $0! } } }
}

/// Hands out the indices `0, 1, 2, ...` to threads, each once.
final class WorkCounter: Sendable {
    private let next = Mutex(0)

    /// The next index, or nil once `count` have been handed out.
    func take(below count: Int) -> Int? {
        next.withLock { value in
            guard value < count else { return nil }
            value += 1
            return value - 1
        }
    }
}
