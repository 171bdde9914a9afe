import Dispatch
import Synchronization
import Stage2Decoder
import Z3

/// `(0..<count).map(body)`, with the calls spread over up to `width`
/// threads (each thread takes the next index until none is left). Results
/// come back in index order. `body` must not share non-thread-safe state
/// between calls; each call is made once.
func concurrentMap<T: Sendable>(_ count: Int, width: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard width > 1, count > 1 else { return (0..<count).map(body) }
    let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
    let next = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: min(width, count)) { _ in
        while true {
            let i = next.withLock { value -> Int? in
                guard value < count else { return nil }
                value += 1
                return value - 1
            }
            guard let i else { return }
            let result = body(i)
            slots.withLock { $0[i] = result }
        }
    }
    return slots.withLock { $0.map { $0! } }
}
