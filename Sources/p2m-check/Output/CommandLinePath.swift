import Foundation
import SpecFormat

/// A file name given on the command line, with the bytes the shell passed.
///
/// Swift decodes the command line as UTF-8 and replaces bytes that are not
/// UTF-8 with U+FFFD, so a file whose name is not UTF-8 cannot be opened by
/// its `String`. `CommandLinePath` finds the argument's original bytes (in
/// `CommandLine.unsafeArgv`) and uses them to open the file, and prints the
/// name with the stray bytes as `\xNN`.
struct CommandLinePath: CustomStringConvertible {
    /// The name as the argument parser saw it.
    var text: String
    /// The bytes to pass to the operating system (no NUL).
    var bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        self.bytes = Self.originalBytes(of: text) ?? Array(text.utf8)
    }

    init(bytes: [UInt8]) {
        self.text = String(decoding: bytes, as: UTF8.self)
        self.bytes = bytes
    }

    /// Whether the name is valid UTF-8.
    var isUTF8: Bool { bytes.elementsEqual(text.utf8) }

    /// The name for a terminal or a document: one line, controls and stray bytes escaped.
    var description: String { PrintableText.escape(bytes: bytes) }

    /// Calls `body` with the name as a C string.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The bytes of the command-line argument that decodes to `text` (or of
    /// the part after `=` of `--option=text`), when `text` came from a
    /// non-UTF-8 argument; nil when every argument that could be it is UTF-8.
    static func originalBytes(of text: String) -> [UInt8]? {
        guard text.unicodeScalars.contains("\u{FFFD}") else { return nil }
        for i in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[i] else { continue }
            let argument = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
            var candidates = [argument]
            if argument.starts(with: Array("--".utf8)), let equals = argument.firstIndex(of: UInt8(ascii: "=")) {
                candidates.append(Array(argument[(equals + 1)...]))
            }
            for c in candidates where String(decoding: c, as: UTF8.self) == text && !c.elementsEqual(text.utf8) {
                return c
            }
        }
        return nil
    }
}
