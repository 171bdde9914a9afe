import P2MModel

/// Decoding of the dom0less and boot-image fields of a spec: static memory,
/// passthrough, a supplied device-tree memory node, static shared memory and
/// kernel image formats. Every error names the JSON path at fault.
enum DomainExtras {
    /// Reads `static_memory`, `passthrough` and `device_tree_memory` of a domain object.
    static func decode(_ o: inout SpecObject, into domain: inout DomainSpec, devices: [Device], paLimit: UInt64?, paBits: Int) throws(SpecError) {
        for item in try o.array("static_memory", optional: true) {
            var bank = try SpecObject(item)
            let range = try SpecDecoder.machineRange(&bank, baseKey: "base", paLimit: paLimit, paBits: paBits)
            try pageAligned(range.base.rawValue, range.size, at: item)
            try bank.finish()
            domain.staticMemory.append(StaticMemoryBank(range: range, origin: SpecValues.origin(item)))
        }
        for item in try o.array("passthrough", optional: true) {
            var entry = try SpecObject(item)
            let deviceValue = try entry.required("device")
            let device = try SpecValues.name(deviceValue)
            guard devices.contains(where: { $0.name == device }) else {
                throw SpecError(path: deviceValue.path, location: deviceValue.location, message: "device \"\(device)\" is not the name of any entry in /devices")
            }
            let guestValue = try entry.required("guest_address")
            let guest = try SpecValues.uint64(guestValue)
            guard guest % 4096 == 0 else {
                throw SpecError(path: guestValue.path, location: guestValue.location, message: "guest_address must be 4K aligned (xen,reg addresses are page aligned)")
            }
            var type = P2MType.mmioDirectDevice
            if let t = entry.optional("p2m_type") {
                let text = try SpecValues.name(t)
                guard let found = P2MType.allCases.first(where: { $0.description == text && $0 != .invalid }) else {
                    let allowed = P2MType.allCases.filter { $0 != .invalid }.map(\.description).joined(separator: ", ")
                    throw SpecError(path: t.path, location: t.location, message: "unknown p2m type \"\(text)\"; expected one of \(allowed)")
                }
                type = found
            }
            try entry.finish()
            domain.passthrough.append(PassthroughRegion(device: device, guestBase: GuestAddress(guest), type: type, origin: SpecValues.origin(item)))
        }
        if let node = o.optional("device_tree_memory") {
            var banks: [AddressRange<GuestAddress>] = []
            let items: [JSONValue]
            do { items = try node.asArray() } catch { throw SpecError(error) }
            for item in items {
                var bank = try SpecObject(item)
                let range = try SpecDecoder.machineRange(&bank, baseKey: "base", paLimit: nil, paBits: 64)
                try bank.finish()
                banks.append(range.reinterpreted(as: GuestAddress.self))
            }
            domain.deviceTreeMemory = banks
            domain.deviceTreeMemoryOrigin = SpecValues.origin(node)
        }
    }

    /// Reads `format` (and its parameters) of a boot module.
    static func imageFormat(_ o: inout SpecObject, kind: BootModuleKind) throws(SpecError) -> KernelImageFormat? {
        guard let formatValue = o.optional("format") else { return nil }
        guard kind == .kernel else {
            throw SpecError(path: formatValue.path, location: formatValue.location, message: "format applies to kernel modules only")
        }
        switch try SpecValues.name(formatValue) {
        case "arm64-image":
            let offset = try o.optional("text_offset").map { v throws(SpecError) in try SpecValues.uint64(v) } ?? 0
            let sizeValue = try o.required("image_size")
            let size = try SpecValues.uint64(sizeValue)
            guard size > 0 else { throw SpecError(path: sizeValue.path, location: sizeValue.location, message: "image_size must be greater than zero") }
            return .arm64Image(textOffset: offset, imageSize: size)
        case "zimage":
            return .zImage
        case "uimage":
            return .uImage(loadAddress: GuestAddress(try SpecValues.uint64(try o.required("uimage_load_address"))))
        case let other:
            throw SpecError(path: formatValue.path, location: formatValue.location, message: "unknown value \"\(other)\"; expected one of arm64-image, zimage, uimage")
        }
    }

    /// Reads the top-level `shared_memory` array.
    static func sharedMemory(_ top: inout SpecObject, names: inout NameRegistry, domains: [DomainSpec], paLimit: UInt64?, paBits: Int) throws(SpecError) -> [SharedMemoryRegion] {
        var regions: [SharedMemoryRegion] = []
        for item in try top.array("shared_memory", optional: true) {
            var o = try SpecObject(item)
            let name = try names.claim(try o.required("name"), in: "shared_memory")
            let range = try SpecDecoder.machineRange(&o, baseKey: "base", paLimit: paLimit, paBits: paBits)
            try pageAligned(range.base.rawValue, range.size, at: item)
            var borrowers: [SharedMemoryRegion.Borrower] = []
            for b in try o.array("domains") {
                var entry = try SpecObject(b)
                let domainValue = try entry.required("domain")
                let domain = try SpecValues.name(domainValue)
                guard domains.contains(where: { $0.name == domain }) else {
                    throw SpecError(path: domainValue.path, location: domainValue.location, message: "domain \"\(domain)\" is not the name of any entry in /domains")
                }
                let guestValue = try entry.required("guest_address")
                let guest = try SpecValues.uint64(guestValue)
                guard guest % 4096 == 0, guest.addingReportingOverflow(range.size).overflow == false else {
                    throw SpecError(path: guestValue.path, location: guestValue.location, message: "guest_address must be 4K aligned and guest_address + size must not wrap")
                }
                try entry.finish()
                borrowers.append(.init(domain: domain, guestBase: GuestAddress(guest), origin: SpecValues.origin(b)))
            }
            guard borrowers.count >= 2 else {
                throw SpecError(path: item.path.appending(key: "domains"), location: item.location, message: "shared memory needs at least two domains")
            }
            try o.finish()
            regions.append(SharedMemoryRegion(name: name, range: range, domains: borrowers, origin: SpecValues.origin(item)))
        }
        return regions
    }

    private static func pageAligned(_ base: UInt64, _ size: UInt64, at item: JSONValue) throws(SpecError) {
        guard base % 4096 == 0, size % 4096 == 0 else {
            throw SpecError(path: item.path, location: item.location, message: "base and size must be 4K aligned")
        }
    }
}
