/// Classifies device nodes by `compatible`, the way Xen recognises its GIC
/// drivers (`DT_DEVICE_START` match tables in gic-v2.c / gic-v3.c) and the
/// nodes it keeps away from dom0 (domain_build.c `handle_node`).
enum DeviceClassification {
    static let gicV2: Set<String> = [
        "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic",
        "arm,arm11mp-gic", "arm,pl390", "arm,eb11mp-gic", "arm,arm1176jzf-devchip-gic",
    ]
    static let gicV3: Set<String> = ["arm,gic-v3"]
    static let gicV3ITS: Set<String> = ["arm,gic-v3-its"]
    /// Nodes Xen skips together with their subtree for dom0 that have `reg`.
    static let skippedByXen: Set<String> = ["arm,armv7-timer-mem"]
    /// Nodes Xen never walks for dom0 (and that have no MMIO meaning as devices).
    static let notDevices: Set<String> = ["xen,xen", "xen,domain", "multiboot,module", "xen,multiboot-module"]

    enum GIC { case v2, v3 }

    static func gic(_ compatible: [String]) -> GIC? {
        if compatible.contains(where: gicV2.contains) { return .v2 }
        if compatible.contains(where: gicV3.contains) { return .v3 }
        return nil
    }

    /// Roles of a GIC node's `reg` entries, in order.
    /// GICv2: GICD, GICC, GICH, GICV. GICv3: GICD, `#redistributor-regions`
    /// GICR regions (default 1), then the optional GICC, GICH, GICV.
    static func gicRoles(_ version: GIC, count: Int, redistributorRegions: Int) -> [BoardDescription.Role] {
        let tail: [BoardDescription.Role] = [.gicc, .gich, .gicv]
        var roles: [BoardDescription.Role]
        switch version {
        case .v2: roles = [.gicd] + tail
        case .v3: roles = [.gicd] + Array(repeating: .gicr, count: max(1, min(redistributorRegions, 1024))) + tail
        }
        if roles.count > count { roles.removeLast(roles.count - count) }
        while roles.count < count { roles.append(.other) }
        return roles
    }

    /// The role of an ordinary device node.
    static func role(of node: DeviceTreeNode) -> BoardDescription.Role {
        let compatible = node.compatible
        if compatible.contains(where: gicV3ITS.contains) { return .its }
        if node.property("#iommu-cells") != nil || compatible.contains(where: { $0.hasSuffix("smmu") || has($0, "smmu-") || has($0, "sysmmu") || has($0, "ipmmu") || has($0, "iommu") }) {
            return .iommu
        }
        let name = node.baseName
        if name == "serial" || name == "uart" || node.property("device_type")?.string == "serial"
            || compatible.contains(where: { has($0, "uart") || $0.hasSuffix(",pl011") || $0 == "ns16550a" || $0 == "ns16550" }) {
            return .uart
        }
        if name == "timer" || compatible.contains(where: { $0.hasSuffix("-timer") || has($0, ",mct") || $0.hasSuffix("-mct") }) {
            return .timer
        }
        return .other
    }

    /// Whether `needle` occurs in `text` (byte-wise; `String.contains(String)` is not in Embedded Swift's stdlib).
    static func has(_ text: String, _ needle: String) -> Bool {
        let t = Array(text.utf8), n = Array(needle.utf8)
        guard !n.isEmpty else { return true }
        guard t.count >= n.count else { return false }
        for start in 0...(t.count - n.count) where t[start ..< start + n.count].elementsEqual(n) { return true }
        return false
    }
}
