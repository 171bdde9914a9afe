/// What a device tree says about a board's physical memory map, in CPU
/// physical addresses, ready to be written as a p2m-check spec. Built by
/// `BoardExtractor`; everything it could not interpret is listed in `notes`.
public struct BoardDescription: Hashable, Sendable {
    /// A named physical range with the device-tree node it came from.
    public struct Region: Hashable, Sendable {
        public var name: String
        public var base: UInt64
        public var size: UInt64
        public var dtPath: String

        public init(name: String, base: UInt64, size: UInt64, dtPath: String) {
            self.name = name
            self.base = base
            self.size = size
            self.dtPath = dtPath
        }
    }

    /// What a device register window is, as far as a stage-2 mapping cares.
    /// The raw values match the spec format's device roles.
    public enum Role: String, Hashable, Sendable {
        case gicd, gicc, gich, gicv, gicr, its, uart, timer, iommu, other
    }

    /// One `reg` window of a device node.
    public struct DeviceWindow: Hashable, Sendable {
        public var region: Region
        public var role: Role
        public var compatible: String?
        public var status: String?
        /// True when Xen skips the node for dom0 (e.g. `arm,armv7-timer-mem`): it is never mapped.
        public var skippedByXen: Bool
    }

    /// Boot module kinds, matching the spec format's `kind`.
    public enum ModuleKind: String, Hashable, Sendable {
        case kernel, ramdisk, dtb, xsm, other
    }

    /// A boot module described under `/chosen` (or under a dom0less domain node).
    public struct Module: Hashable, Sendable {
        public var region: Region
        public var kind: ModuleKind
        /// `dom0`, or the name of the dom0less domain the module is for.
        public var domain: String

        public init(region: Region, kind: ModuleKind, domain: String) {
            self.region = region
            self.kind = kind
            self.domain = domain
        }
    }

    /// A dom0less guest (`xen,domain` under `/chosen`).
    public struct Domain: Hashable, Sendable {
        public var name: String
        /// Bytes of RAM (the node's `memory`, in KiB).
        public var memory: UInt64
        public var vcpus: Int
        public var dtPath: String
    }

    public var model: String?
    public var compatible: [String]
    /// `compatible` of the first CPU node, if any (tells arm32 from arm64).
    public var cpuCompatible: [String]
    public var cpuCount: Int
    public var memory: [Region]
    public var reserved: [Region]
    public var devices: [DeviceWindow]
    /// The name of the device window the stdout-path points at.
    public var console: String?
    public var modules: [Module]
    /// Dom0less guests, besides dom0.
    public var domains: [Domain]
    /// Everything that was not imported, or imported with an assumption.
    public var notes: [String]
}
