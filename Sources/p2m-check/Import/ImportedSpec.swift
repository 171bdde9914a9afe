import DeviceTree
import P2MModel

/// Turns a `BoardDescription` read from a device tree into a `p2m-check/v1`
/// spec. The choices the device tree cannot make (architecture when the CPUs
/// do not say, PA/IPA sizes, where Xen is loaded, dom0's size) are made here
/// and each one is written to `notes`, so a user sees what to review.
struct ImportedSpec {
    var board: BoardDescription
    var options: ImportOptions
    /// `board.notes` plus the choices made while writing the spec.
    private(set) var notes: [String] = []
    private(set) var architecture: Architecture = .arm64
    private(set) var paBits = 40
    private(set) var hypervisorBase: UInt64 = 0
    private(set) var dom0Memory: UInt64 = 0

    static let arm64Cores = ["cortex-a35", "cortex-a53", "cortex-a55", "cortex-a57", "cortex-a65", "cortex-a72", "cortex-a73", "cortex-a75",
                             "cortex-a76", "cortex-a77", "cortex-a78", "cortex-x", "neoverse", "armv8", "armv9"]
    static let arm32Cores = ["cortex-a7", "cortex-a15", "cortex-a17"]

    /// Makes every choice. - Throws: `ImportError` when the result could not be a valid spec (no RAM, no room for Xen).
    init(board: BoardDescription, options: ImportOptions, blobSize: UInt32) throws(ImportError) {
        self.board = board
        self.options = options
        notes = board.notes
        guard !board.memory.isEmpty else { throw .noMemory }
        if let address = options.dtbAddress { addHostDeviceTree(at: address, size: UInt64(blobSize)) }
        chooseArchitecture()
        chooseAddressSizes()
        try placeHypervisor()
        chooseDom0()
    }

    /// The blob itself, where the bootloader loaded it: Xen keeps it as a boot
    /// module while it boots (it must be 8-byte aligned and at most 2 MiB).
    private mutating func addHostDeviceTree(at address: UInt64, size: UInt64) {
        let region = BoardDescription.Region(name: "host-dtb", base: address, size: size, dtPath: "/")
        board.modules.append(BoardDescription.Module(region: region, kind: .dtb, domain: "dom0"))
        if address % 8 != 0 || address == 0 { notes.append("--dtb-address \(Hex.format(address)): Xen needs a non-zero, 8-byte aligned device tree address") }
        if size > 2 << 20 { notes.append("the device tree is \(Hex.format(size)) bytes; Xen maps at most 2 MiB of it (MAX_FDT_SIZE)") }
    }

    private mutating func chooseArchitecture() {
        if let a = options.architecture { architecture = a; return }
        let cpu = board.cpuCompatible.joined(separator: " ")
        if Self.arm64Cores.contains(where: { cpu.contains($0) }) {
            architecture = .arm64
        } else if Self.arm32Cores.contains(where: { cpu.hasSuffix($0) || cpu.contains($0 + " ") }) {
            architecture = .arm32LPAE
        } else {
            let high = board.memory.contains { $0.base.addingReportingOverflow($0.size).partialValue > 1 << 32 || $0.base >= 1 << 32 }
            architecture = high ? .arm64 : .arm32LPAE
            notes.append("architecture \(architecture.rawValue) guessed (CPU compatible \"\(cpu)\" not recognised); pass --architecture to override")
        }
    }

    /// arm32-lpae: 40 bits (Xen's default). arm64: the smallest size Xen
    /// supports (40, 42, 44, 48) that holds every imported address; IPA = PA
    /// so that dom0's 1:1 map reaches every device.
    private mutating func chooseAddressSizes() {
        let ends = (board.memory + board.reserved + board.devices.map(\.region) + board.modules.map(\.region)).map { $0.base &+ $0.size }
        let highest = ends.max() ?? 0
        let needed = highest <= 1 ? 1 : 64 - (highest - 1).leadingZeroBitCount
        if architecture == .arm32LPAE {
            paBits = 40
        } else {
            paBits = [40, 42, 44, 48].first { $0 >= needed } ?? 48
            notes.append("pa_bits and ipa_bits set to \(paBits): the smallest of 40, 42, 44, 48 bits that holds every address in the tree; set them to the CPU's PARange (Xen caps the IPA size at it)")
        }
        if needed > paBits { notes.append("addresses up to \(Hex.format(highest)) need \(needed) bits, more than \(paBits): the spec will be rejected until they are removed") }
    }

    private var obstacles: [(UInt64, UInt64)] {
        (board.reserved + board.modules.map(\.region)).map { ($0.base, $0.base &+ $0.size) }
    }

    private mutating func placeHypervisor() throws(ImportError) {
        if let base = options.hypervisorAddress { hypervisorBase = base; return }
        let align: UInt64 = 2 << 20
        let size = options.hypervisorSize
        for bank in board.memory.sorted(by: { $0.base < $1.base }) {
            let end = bank.base &+ bank.size
            var candidate = (bank.base + align - 1) & ~(align - 1)
            while candidate >= bank.base, candidate <= end, size <= end - candidate {
                if architecture == .arm32LPAE, candidate > (1 << 32) - size { break }
                if let clash = obstacles.first(where: { candidate < $0.1 && $0.0 < candidate + size }) {
                    candidate = (clash.1 + align - 1) & ~(align - 1)
                    continue
                }
                hypervisorBase = candidate
                notes.append("the device tree does not say where Xen is loaded: placed at \(Hex.format(candidate)) (lowest free 2 MiB-aligned RAM), \(Hex.format(size)) bytes; set --hypervisor-address and --hypervisor-size to your bootloader's values")
                return
            }
        }
        throw .noRoomForHypervisor(size: size)
    }

    private mutating func chooseDom0() {
        if let m = options.dom0Memory { dom0Memory = m; return }
        let total = board.memory.reduce(UInt64(0)) { $0 &+ $1.size }
        dom0Memory = min(512 << 20, (total / 2) & ~((1 << 20) - 1))
        notes.append("dom0 gets \(Hex.format(dom0Memory)) bytes of 1:1 RAM and \(vcpus) vCPU(s) by default; set --dom0-memory to change it")
    }

    private var vcpus: Int { max(1, min(board.cpuCount, 128)) }

    /// The spec as JSON text.
    func render() -> String { document().rendered() }

    /// The spec as a JSON document (importers that know more amend it).
    func document() -> JSONOutput {
        var top: [(String, JSONOutput)] = [
            ("format", .string("p2m-check/v1")),
            ("board", .string(board.model ?? board.compatible.first ?? "imported board")),
            ("description", .string("Imported by p2m-check import-dtb; review the notes.")),
            ("source", .array([.string("\(options.sourceName) (compatible: \(board.compatible.joined(separator: ", ")))")])),
            ("architecture", .string(architecture.rawValue)),
            ("pa_bits", .integer(paBits)),
            ("ipa_bits", .integer(paBits)),
            ("memory", .array(board.memory.map(Self.namedRange))),
            ("reserved_memory", .array(board.reserved.map(Self.reservedRange))),
            ("devices", .array(board.devices.map(Self.device))),
        ]
        var hypervisor: [(String, JSONOutput)] = [("name", .string("xen")), ("load_address", .string(Hex.format(hypervisorBase))), ("size", .string(Hex.format(options.hypervisorSize)))]
        if let console = board.console { hypervisor.append(("console", .string(console))) }
        top.append(("hypervisor", .object(hypervisor)))
        top.append(("boot_modules", .array(board.modules.map { m in
            .object(Self.range(m.region, baseKey: "load_address") + [("kind", .string(m.kind.rawValue)), ("domain", .string(m.domain))])
        })))
        let dom0: JSONOutput = .object([
            ("name", .string("dom0")), ("memory", .string(Hex.format(dom0Memory))), ("direct_map", .bool(true)), ("vcpus", .integer(vcpus)),
        ])
        let guests: [JSONOutput] = board.domains.map { d in
            .object([("name", .string(d.name)), ("memory", .string(Hex.format(d.memory))), ("vcpus", .integer(d.vcpus)), ("hardware_domain", .bool(false))])
        }
        top.append(("domains", .array([dom0] + guests)))
        top.append(("notes", .array(notes.map(JSONOutput.string))))
        return JSONOutput.object(top)
    }

    private static func range(_ r: BoardDescription.Region, baseKey: String) -> [(String, JSONOutput)] {
        [("name", .string(r.name)), (baseKey, .string(Hex.format(r.base))), ("size", .string(Hex.format(r.size)))]
    }

    private static func namedRange(_ r: BoardDescription.Region) -> JSONOutput { .object(range(r, baseKey: "base")) }

    /// A reserved range with its source: a `/memreserve/` entry, or a `/reserved-memory` child.
    private static func reservedRange(_ r: BoardDescription.Region) -> JSONOutput {
        .object(range(r, baseKey: "base") + [("source", .string(r.dtPath == "/memreserve/" ? "memreserve" : "reserved-memory"))])
    }

    private static func device(_ d: BoardDescription.DeviceWindow) -> JSONOutput {
        var m = range(d.region, baseKey: "base") + [("role", .string(d.role.rawValue))]
        if d.skippedByXen { m.append(("owner", .string("hypervisor"))) }
        m.append(("dt_path", .string(d.region.dtPath)))
        if let c = d.compatible { m.append(("compatible", .string(c))) }
        if let s = d.status { m.append(("status", .string(s))) }
        return .object(m)
    }
}

/// Why a device tree could not be turned into a spec.
enum ImportError: Error, CustomStringConvertible {
    case unreadable(path: String)
    /// The file could not be read, is not a blob, or is larger than Xen accepts.
    case file(DeviceTreeBlobFile.Problem)
    case deviceTree(path: String, DeviceTreeError)
    case noMemory
    case noRoomForHypervisor(size: UInt64)

    var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the file"
        case .file(let problem): return problem.description
        case .deviceTree(let path, let error): return "\(CommandLinePath(path)): \(error.description)"
        case .noMemory: return "the device tree has no memory node with a reg (the firmware fills it in): cannot write a spec without RAM"
        case .noRoomForHypervisor(let size): return "no free 2 MiB-aligned place for a \(Hex.format(size))-byte hypervisor in RAM; pass --hypervisor-address"
        }
    }
}
