import DeviceTree
import FuzzSupport

// Parses arbitrary bytes as a flattened device tree blob and, when it parses,
// runs the board extraction `import-dtb` uses (memory, reservations, `ranges`
// translation, GIC roles, console, /chosen modules). A blob is either parsed
// or rejected with a `DeviceTreeError`; anything else (a trap, a sanitizer
// report, a hang) is a finding. What parsed must be self-consistent.
runFuzzer { bytes in
    do throws(DeviceTreeError) {
        let tree = try FlattenedDeviceTree.parse(bytes)
        for index in tree.nodes.indices {
            let path = tree.path(of: index)
            precondition(path.utf8.first == UInt8(ascii: "/"), "a node path that does not start at the root")
        }
        let board = BoardExtractor.describe(tree)
        if let console = board.console {
            precondition(board.devices.contains { $0.region.name == console }, "a console that is not one of the devices")
        }
    } catch {
        precondition(!error.description.isEmpty, "a DeviceTreeError without a message")
    }
}
