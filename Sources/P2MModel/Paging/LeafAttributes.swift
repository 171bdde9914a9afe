/// Everything a stage-2 leaf says about the memory it maps, apart from the
/// output address: MemAttr, shareability, permissions and Xen's software type.
public struct LeafAttributes: Hashable, Sendable {
    public var memory: Stage2MemoryAttribute
    public var shareability: Shareability
    public var access: Stage2Access
    /// Xen's software p2m type (bits 58:55).
    public var type: P2MType
    /// The access flag; Xen always sets it, a clear AF faults on first access.
    public var accessFlag: Bool

    public init(memory: Stage2MemoryAttribute, shareability: Shareability, access: Stage2Access, type: P2MType, accessFlag: Bool = true) {
        self.memory = memory
        self.shareability = shareability
        self.access = access
        self.type = type
        self.accessFlag = accessFlag
    }
}
