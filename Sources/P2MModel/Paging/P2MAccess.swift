/// Xen's memory-access restriction on a mapping (`p2m_access_t`,
/// xen/include/public/vm_event.h order as used on Arm), applied on top of
/// the type's permissions by `p2m_set_permission` (xen/arch/arm/mmu/p2m.c).
public enum P2MAccess: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case n = 0, r, w, rw, x, rx, wx, rwx, rx2rw, n2rwx, rPW

    /// `permissions` narrowed by this access:
    /// rwx unchanged; wx clears R; rw sets XN; w clears R and sets XN;
    /// rx, rx2rw clear W; x clears W and R; r, r_pw clear W and set XN;
    /// n, n2rwx clear R and W and set XN. Access never widens a type's permissions.
    public func narrowing(_ permissions: Stage2Access) -> Stage2Access {
        var p = permissions
        switch self {
        case .rwx: break
        case .wx: p.read = false
        case .rw: p.executeNever = true
        case .w: p.read = false; p.executeNever = true
        case .rx, .rx2rw: p.write = false
        case .x: p.write = false; p.read = false
        case .r, .rPW: p.write = false; p.executeNever = true
        case .n, .n2rwx: p.read = false; p.write = false; p.executeNever = true
        }
        return p
    }

    public var description: String {
        switch self {
        case .n: return "p2m_access_n"
        case .r: return "p2m_access_r"
        case .w: return "p2m_access_w"
        case .rw: return "p2m_access_rw"
        case .x: return "p2m_access_x"
        case .rx: return "p2m_access_rx"
        case .wx: return "p2m_access_wx"
        case .rwx: return "p2m_access_rwx"
        case .rx2rw: return "p2m_access_rx2rw"
        case .n2rwx: return "p2m_access_n2rwx"
        case .rPW: return "p2m_access_r_pw"
        }
    }
}

extension P2MType {
    /// The leaf attributes Xen writes for this type under `access`.
    public func attributes(access: P2MAccess) -> LeafAttributes {
        var a = defaultAttributes
        a.access = access.narrowing(a.access)
        return a
    }
}
