import Foundation

/// What the standard output is connected to.
enum Terminal {
    /// Colour only when stdout is a terminal and NO_COLOR is not set.
    static var wantsColour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
