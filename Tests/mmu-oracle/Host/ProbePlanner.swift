import Invariants
import Stage2Decoder
import P2MModel

/// Chooses the guest addresses the MMU is asked about, from the checker's
/// decoded tables of one domain (never from what the builder meant to map):
///
/// - every translation run (leaves contiguous in guest and machine space with
///   the same attributes): its first byte, a word in its middle page and its
///   last byte;
/// - every block (1 GiB or 2 MiB leaf): its last byte and the first byte after it;
/// - every unmapped gap between runs, and before the first and after the last
///   up to the IPA size: its first byte, a middle address and its last byte;
/// - the first addresses beyond the IPA size;
///
/// all below `inputLimit`, the addresses the AT instruction can take.
enum ProbePlanner {
    static func probes(for decoded: DecodedStage2, inputLimit: UInt64? = nil) -> [GuestAddress] {
        var addresses: [UInt64] = []
        let top = decoded.configuration.ipaSpaceSize
        var previousEnd: UInt64 = 0
        func gap(_ from: UInt64, _ to: UInt64) {
            guard to > from else { return }
            addresses += [from, from + (to - from) / 2, to - 1]
        }
        for run in decoded.runs {
            let base = run.guest.base.rawValue
            let pages = run.guest.size / 4096
            gap(previousEnd, base)
            addresses += [base, base + pages / 2 * 4096 + 0x7F8, base + run.guest.size - 1]
            previousEnd = base + run.guest.size
        }
        gap(previousEnd, top)
        for leaf in decoded.leaves where leaf.level < .three {
            let last = leaf.guest.base.rawValue + leaf.guest.size - 1
            addresses += [last, last + 1]
        }
        addresses += [top, top + 0x1000]
        var seen = Set<UInt64>()
        return addresses.filter { $0 < inputLimit ?? .max && seen.insert($0).inserted }.sorted().map(GuestAddress.init)
    }

    /// Guest RAM words for the EL1 read/write check: the first, a middle and
    /// the last word of every RAM run (`p2m_ram_rw` leaves) and a word in
    /// every RAM leaf (up to `leafLimit` leaves), except on the page
    /// `avoiding` (where the guest code lives).
    static func ramWords(for decoded: DecodedStage2, avoiding stubPage: GuestAddress, leafLimit: Int = 256) -> [GuestAddress] {
        var words: [UInt64] = []
        for run in decoded.runs where decoded.leaves[run.firstLeaf].descriptor.p2mType == .ramReadWrite {
            let base = run.guest.base.rawValue
            words += [base, base + run.guest.size / 2 + 0x40, base + run.guest.size - 8]
            for leaf in decoded.leaves[run.firstLeaf..<(run.firstLeaf + min(run.leafCount, leafLimit))] {
                words.append(leaf.guest.base.rawValue + leaf.guest.size / 2 + 0x18)
            }
        }
        var seen = Set<UInt64>()
        return words.filter { $0 & ~0xFFF != stubPage.rawValue && seen.insert($0).inserted }.map(GuestAddress.init)
    }

    /// The page for the guest code: the last page of the domain's last RAM run.
    static func stubPage(for decoded: DecodedStage2) -> GuestAddress? {
        guard let run = decoded.runs.last(where: { decoded.leaves[$0.firstLeaf].descriptor.p2mType == .ramReadWrite }) else { return nil }
        return GuestAddress(run.guest.base.rawValue + run.guest.size - 4096)
    }
}
