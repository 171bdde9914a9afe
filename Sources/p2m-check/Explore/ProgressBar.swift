import Foundation

/// A one-line progress bar on standard error, redrawn in place. Only used
/// when standard output is a terminal; otherwise the sweep prints plain lines.
struct ProgressBar {
    var total: Int
    var width = 30

    /// The bar for `done` of `total`, e.g. "[#########.....] 3/5 dom0.memory=384M".
    func line(done: Int, current: String) -> String {
        let filled = total == 0 ? width : done * width / total
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) \(current)"
    }

    func draw(done: Int, current: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line(done: done, current: current)).utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
