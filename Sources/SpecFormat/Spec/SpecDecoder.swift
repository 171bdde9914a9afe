import P2MModel

/// Decodes a spec in format `p2m-check/v1` (see specs/schema.json) into a
/// `BoardSpec`, validating as it goes. Every error names the JSON path of the
/// entry at fault.
public enum SpecDecoder {
    public static let format = "p2m-check/v1"

    /// The largest spec accepted, in bytes (2 MiB). A board spec with a few
    /// thousand entries is well under 1 MiB; anything bigger is refused before
    /// parsing, so that a hostile file cannot make the checker hang or run
    /// out of memory.
    public static let maximumBytes = 2 << 20

    /// Parses and decodes a whole spec file.
    /// - Throws: `SpecError` for a file over `maximumBytes`, malformed JSON,
    ///   wrong types, bad values, unknown fields, duplicate names, dangling
    ///   references, sections over `SpecObject.maximumEntries` entries and
    ///   ranges that wrap or exceed the physical address size.
    public static func decode(_ bytes: [UInt8]) throws(SpecError) -> BoardSpec {
        guard bytes.count <= maximumBytes else {
            throw SpecError(path: .root, location: nil, message: "the spec has more than \(maximumBytes) bytes (\(maximumBytes >> 20) MiB), the most this checker reads; a board spec is far smaller")
        }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw SpecError(error) }
        return try decode(root)
    }

    public static func decode(_ root: JSONValue) throws(SpecError) -> BoardSpec {
        var top = try SpecObject(root)
        let formatValue = try top.required("format")
        let formatText = try SpecValues.name(formatValue)
        guard formatText == format else {
            throw SpecError(path: formatValue.path, location: formatValue.location, message: "unsupported format \"\(formatText)\"; this checker reads \"\(format)\"")
        }
        let boardName = try SpecValues.name(try top.required("board"))
        // Informational, but typed as the schema says: a typo'd value is still an error.
        if let source = top.optional("source") {
            for line in try SpecValues.array(source) { _ = try SpecValues.name(line) }
        }
        if let description = top.optional("description") { _ = try SpecValues.name(description) }
        if let notes = top.optional("notes") {
            for line in try SpecValues.array(notes) { _ = try SpecValues.name(line) }
        }
        let architecture = try SpecValues.enumeration(try top.required("architecture"), as: Architecture.self)
        let paBitsValue = try top.required("pa_bits")
        let paBits = try SpecValues.integer(paBitsValue, in: architecture == .arm64 ? 32...52 : 32...40)
        let ipaValue = try top.required("ipa_bits")
        let ipaBits = try SpecValues.integer(ipaValue, in: 32...52)
        do { _ = try Stage2Configuration(ipaBits: ipaBits, architecture: architecture) } catch {
            throw SpecError(path: ipaValue.path, location: ipaValue.location, message: error.description)
        }
        // Xen's setup_virt_paging never uses a larger IPA size than it picks for the CPU's PA
        // range; a smaller one is what an IOMMU's restriction (p2m_restrict_ipa_bits) gives.
        if let xen = try? Stage2Configuration.xen(paBits: paBits, architecture: architecture), ipaBits > xen.ipaBits {
            throw SpecError(path: ipaValue.path, location: ipaValue.location, message: "Xen uses at most a \(xen.ipaBits)-bit IPA on \(architecture.rawValue) with \(paBits)-bit physical addresses (setup_virt_paging); \(ipaBits) cannot happen")
        }
        let paLimit = paBits >= 64 ? nil : UInt64(1) << UInt64(paBits)
        let dmaBitSize = try top.optional("dma_bitsize").map { v throws(SpecError) in try SpecValues.integer(v, in: 20...64) } ?? 32
        let xenVersion = try top.optional("xen_version").map { v throws(SpecError) in try SpecValues.xenVersion(v) } ?? .oracleDefault

        var names = NameRegistry()
        var ram: [RAMBank] = []
        for item in try top.array("memory") {
            var o = try SpecObject(item)
            let name = try names.claim(try o.required("name"), in: "memory")
            let range = try machineRange(&o, baseKey: "base", paLimit: paLimit, paBits: paBits)
            try o.finish()
            ram.append(RAMBank(name: name, range: range, origin: SpecValues.origin(item)))
        }
        guard !ram.isEmpty else {
            throw SpecError(path: root.path.appending(key: "memory"), location: root.location, message: "at least one RAM bank is required")
        }
        var reserved: [ReservedRegion] = []
        for item in try top.array("reserved_memory", optional: true) {
            var o = try SpecObject(item)
            let name = try names.claim(try o.required("name"), in: "reserved_memory")
            let range = try machineRange(&o, baseKey: "base", paLimit: paLimit, paBits: paBits)
            let source = try o.optional("source").map { v throws(SpecError) in try SpecValues.enumeration(v, as: ReservedRegion.Source.self) } ?? .reservedMemory
            try o.finish()
            reserved.append(ReservedRegion(name: name, range: range, source: source, origin: SpecValues.origin(item)))
        }
        var devices: [Device] = []
        for item in try top.array("devices", optional: true) {
            var o = try SpecObject(item)
            let name = try names.claim(try o.required("name"), in: "devices")
            let range = try machineRange(&o, baseKey: "base", paLimit: paLimit, paBits: paBits)
            let role = try o.optional("role").map { v throws(SpecError) in try SpecValues.enumeration(v, as: DeviceRole.self) } ?? .other
            let owner = try o.optional("owner").map { v throws(SpecError) in try SpecValues.enumeration(v, as: DeviceOwner.self) }
            for informational in ["dt_path", "status"] {
                if let v = o.optional(informational) { _ = try SpecValues.name(v) }
            }
            let compatible = try o.optional("compatible").map { v throws(SpecError) in try SpecValues.strings(v) } ?? []
            try o.finish()
            devices.append(Device(name: name, range: range, role: role, owner: owner, compatible: compatible, origin: SpecValues.origin(item)))
        }

        let hypValue = try top.required("hypervisor")
        var hypObject = try SpecObject(hypValue)
        let hypName = try SpecValues.name(try hypObject.required("name"))
        let hypRange = try machineRange(&hypObject, baseKey: "load_address", paLimit: paLimit, paBits: paBits)
        var console: String?
        if let c = hypObject.optional("console") {
            let consoleName = try SpecValues.name(c)
            guard devices.contains(where: { $0.name == consoleName }) else {
                throw SpecError(path: c.path, location: c.location, message: "console \"\(consoleName)\" is not the name of any entry in /devices")
            }
            console = consoleName
        }
        try hypObject.finish()
        let hypervisor = HypervisorImage(name: hypName, range: hypRange, console: console, origin: SpecValues.origin(hypValue))

        // Domains before modules, so that module references can be checked.
        var domains: [DomainSpec] = []
        var hardwareDomainPath: JSONPointer?
        for item in try top.array("domains") {
            var o = try SpecObject(item)
            let nameValue = try o.required("name")
            let name = try names.claim(nameValue, in: "domains")
            let memory = try SpecValues.uint64(try o.required("memory"))
            let memoryPath = item.path.appending(key: "memory")
            guard memory > 0, memory % 4096 == 0 else {
                throw SpecError(path: memoryPath, location: item.location, message: "domain memory must be a non-zero multiple of 4K")
            }
            let directMap = try o.optional("direct_map").map { v throws(SpecError) in try SpecValues.bool(v) } ?? false
            let vcpus = try o.optional("vcpus").map { v throws(SpecError) in try SpecValues.integer(v, in: 1...128) } ?? 1
            let isHardware = try o.optional("hardware_domain").map { v throws(SpecError) in try SpecValues.bool(v) } ?? (name == "dom0")
            if isHardware {
                if let first = hardwareDomainPath {
                    throw SpecError(path: item.path, location: item.location, message: "a second hardware domain; \(first.displayString) already is one")
                }
                hardwareDomainPath = item.path
            }
            var placement = PoolPlacement.automatic
            var poolSize: UInt64?
            var poolOrigin = SpecValues.origin(item)
            if let poolValue = o.optional("p2m_pool") {
                var pool = try SpecObject(poolValue)
                poolOrigin = SpecValues.origin(poolValue)
                if let sizeValue = pool.optional("size") {
                    let size = try SpecValues.uint64(sizeValue)
                    guard size >= 16384, size % 4096 == 0 else {
                        throw SpecError(path: sizeValue.path, location: sizeValue.location, message: "p2m pool size must be a multiple of 4K and at least 16K")
                    }
                    poolSize = size
                }
                if let baseValue = pool.optional("base") {
                    let base = try SpecValues.uint64(baseValue)
                    guard base % 4096 == 0 else {
                        throw SpecError(path: baseValue.path, location: baseValue.location, message: "p2m pool base must be 4K aligned")
                    }
                    let size = poolSize ?? 0
                    guard size == 0 || size - 1 <= UInt64.max - base else {
                        throw SpecError(path: baseValue.path, location: baseValue.location, message: "base + size wraps past 2^64")
                    }
                    if let paLimit, base >= paLimit || (size > 0 && base + (size - 1) >= paLimit) {
                        throw SpecError(path: baseValue.path, location: baseValue.location, message: "the p2m pool at \(Hex.format(base)) reaches beyond the \(paBits)-bit physical address space")
                    }
                    placement = .fixed(MachineAddress(base))
                }
                try pool.finish()
            }
            var domain = DomainSpec(name: name, memorySize: memory, directMap: directMap, vcpus: vcpus, isHardwareDomain: isHardware, poolPlacement: placement, poolSize: poolSize, origin: SpecValues.origin(item), poolOrigin: poolOrigin)
            try DomainExtras.decode(&o, into: &domain, devices: devices, paLimit: paLimit, paBits: paBits)
            try o.finish()
            domains.append(domain)
        }
        guard !domains.isEmpty else {
            throw SpecError(path: root.path.appending(key: "domains"), location: root.location, message: "at least one domain is required")
        }

        var modules: [BootModule] = []
        for item in try top.array("boot_modules", optional: true) {
            var o = try SpecObject(item)
            let name = try names.claim(try o.required("name"), in: "boot_modules")
            let kind = try SpecValues.enumeration(try o.required("kind"), as: BootModuleKind.self)
            let range = try machineRange(&o, baseKey: "load_address", paLimit: paLimit, paBits: paBits)
            var footprint = range
            if let f = o.optional("footprint") {
                let size = try SpecValues.uint64(f)
                guard size >= range.size else {
                    throw SpecError(path: f.path, location: f.location, message: "footprint must be at least the module size (\(Hex.format(range.size)))")
                }
                guard let fp = try? AddressRange(base: range.base, size: size) else {
                    throw SpecError(path: f.path, location: f.location, message: "load_address + footprint wraps past 2^64")
                }
                if let paLimit, let last = fp.last, last.rawValue >= paLimit {
                    throw SpecError(path: f.path, location: f.location, message: "\(fp) reaches beyond the \(paBits)-bit physical address space")
                }
                footprint = fp
            }
            let domainValue = try o.required("domain")
            let domain = try SpecValues.name(domainValue)
            guard domains.contains(where: { $0.name == domain }) else {
                throw SpecError(path: domainValue.path, location: domainValue.location, message: "domain \"\(domain)\" is not the name of any entry in /domains")
            }
            let format = try DomainExtras.imageFormat(&o, kind: kind)
            let declared = try o.optional("declared").map { v throws(SpecError) in try SpecValues.bool(v) } ?? true
            try o.finish()
            var module = BootModule(name: name, kind: kind, range: range, footprint: footprint, domain: domain, origin: SpecValues.origin(item))
            module.imageFormat = format
            module.declared = declared
            modules.append(module)
        }
        let shared = try DomainExtras.sharedMemory(&top, names: &names, domains: domains, paLimit: paLimit, paBits: paBits)
        try top.finish()
        var board = BoardSpec(name: boardName, architecture: architecture, paBits: paBits, ipaBits: ipaBits, ram: ram, reserved: reserved, devices: devices, hypervisor: hypervisor, bootModules: modules, domains: domains, dmaBitSize: dmaBitSize)
        board.xenVersion = xenVersion
        board.sharedMemory = shared
        return board
    }

    /// Reads `<baseKey>` and `size` of an object into a non-empty machine range below 2^paBits.
    static func machineRange(_ o: inout SpecObject, baseKey: String, paLimit: UInt64?, paBits: Int) throws(SpecError) -> AddressRange<MachineAddress> {
        let baseValue = try o.required(baseKey)
        let sizeValue = try o.required("size")
        let base = try SpecValues.uint64(baseValue)
        let size = try SpecValues.uint64(sizeValue)
        guard size > 0 else {
            throw SpecError(path: sizeValue.path, location: sizeValue.location, message: "size must be greater than zero")
        }
        let range: AddressRange<MachineAddress>
        do { range = try AddressRange(base: MachineAddress(base), size: size) } catch {
            throw SpecError(path: sizeValue.path, location: sizeValue.location, message: error.description)
        }
        if let paLimit, let last = range.last, last.rawValue >= paLimit {
            throw SpecError(path: o.value.path, location: o.value.location, message: "\(range) reaches beyond the \(paBits)-bit physical address space")
        }
        return range
    }
}

/// Names must be unique across the whole spec, so that a report's region
/// names are unambiguous.
struct NameRegistry {
    private var seen: [String: JSONPointer] = [:]

    mutating func claim(_ value: JSONValue, in section: String) throws(SpecError) -> String {
        let name = try SpecValues.name(value)
        if let first = seen[name] {
            throw SpecError(path: value.path, location: value.location, message: "duplicate name \"\(name)\"; already used at \(first.displayString)")
        }
        seen[name] = value.path
        return name
    }
}
