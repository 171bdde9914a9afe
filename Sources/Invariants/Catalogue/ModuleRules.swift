import P2MModel
import Stage2Decoder
import Z3

/// `module-rules`: each boot image obeys its format's placement rules.
///
/// - Device tree (any `dtb` module): base 8-byte aligned and at most 2 MiB
///   (Xen's `MIN_FDT_ALIGN` / `MAX_FDT_SIZE`; Linux's arm64 boot protocol).
/// - Kernel with a declared format, placed in its domain's bank 0 as Xen's
///   `kernel_zimage_place_in_bank` does, must land wholly in guest memory
///   mapped as RAM (Xen only finds out when the copy fails):
///   - arm64 `Image` at bank 0 + `text_offset`, `image_size` bytes, and
///     bank 0 must be 2 MiB aligned (Linux needs a 2 MiB aligned base);
///   - PIE `zImage` at `(min(bank0 + 128M, bank0 end) - len) & ~(2M - 1)`,
///     which must not fall below bank 0 (Xen <= 4.21 underflows there);
///   - `uImage` at its fixed load address.
///
/// Encoding, per domain: a selector `s` and a guest variable `g`. Rule `j`
/// of a kernel is `s == j and ((g in [load_j, load_j + len_j) and not
/// ram(g)) or misplaced_j)` where `load_j` is a bit-vector term (for a
/// zImage, the wrapping subtraction and mask above, so an underflow is
/// modelled as the hardware computes it) and `misplaced_j` is the alignment
/// or window rule over it; rule `j` of a DTB is `s == j and (base & 7 != 0
/// or size >u 2M)`. The query, the disjunction of the rules, is satisfiable
/// exactly when some image breaks its rule. Each model is re-checked in
/// Swift and its rule blocked.
struct ModuleRules: InvariantProperty {
    static let id = PropertyID.moduleRules
    static let twoMiB: UInt64 = 2 << 20

    /// One rule instance, with its concrete evaluation for the re-check.
    struct Rule {
        var module: BootModule
        /// For kernels: the guest range it runs at (nil if it cannot be placed).
        var guest: AddressRange<GuestAddress>?
        /// A placement rule broken independently of the mapping, or nil.
        var broken: String?
    }

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        for domain in facts.domains {
            let modules = facts.spec.bootModules.filter { $0.declared && $0.domain == domain.spec.name && ($0.kind == .deviceTree || $0.imageFormat != nil) }
            guard !modules.isEmpty else { continue }
            guard out.walkComplete(domain) else { continue }
            let context = try Z3Context.forCheck()
            let d = DomainTerms(context: context, domain: domain)
            let g = try d.terms.variable("g")
            let s = try context.bitVectorVariable("s", width: 32)
            let ram = try d.mapped(g, where: \.isRAMMapping)
            let bank0 = domain.kernelBanks.first
            var rules: [Rule] = []
            var formulas: [Formula] = []
            for module in modules {
                let (formula, rule) = try encode(module, bank0: bank0, g: g, ram: ram, d: d)
                formulas.append(try Formula.and([try s.equals(try context.bitVector(UInt64(rules.count), width: 32)), formula]))
                rules.append(rule)
            }
            let solver = try Z3Solver(context: context)
            try solver.assert(try Formula.or(formulas, in: context))
            var search = ViolationSearch(solver: solver, options: options)
            let outcome = try search.run { model in
                let j = Int(try model.value(of: s))
                guard rules.indices.contains(j) else { return nil }
                let rule = rules[j]
                let w = GuestAddress(try model.value(of: g))
                let moduleRef = RegionReference(name: rule.module.name, kind: .bootModule, range: rule.module.range, guestRange: rule.guest, origin: rule.module.origin)
                let bankRef = RegionReference(name: "\(domain.spec.name) RAM bank 0\(bank0.map { " \($0)" } ?? "")", kind: .guestRAM, range: nil, guestRange: bank0, origin: domain.spec.origin)
                let message: String
                var guests: [GuestAddress] = []
                if let broken = rule.broken {
                    message = "\(rule.module.name): \(broken)"
                    if rule.module.kind != .deviceTree, let guest = rule.guest { guests = [guest.base] }
                } else if let guest = rule.guest, guest.contains(w), !(Translation.run(containing: w, in: d.runs).map { d.runs[$0].isRAMMapping } ?? false) {
                    message = "\(rule.module.name) runs at guest \(guest) in \(domain.spec.name), but guest address \(w) is not RAM of \(domain.spec.name)"
                    guests = [w]
                } else {
                    return nil
                }
                let violation = Violation(property: Self.id, message: message, regions: [moduleRef, bankRef],
                                          machineWitnesses: rule.module.kind == .deviceTree ? [rule.module.range.base] : [], guestWitnesses: guests, domain: domain.spec.name)
                return .init(violation: violation, block: formulas[j])
            }
            out.add((search.verdict(outcome), search.queries))
            out.notes.append("\(domain.spec.name): \(rules.count) images checked")
        }
        return out.result()
    }

    /// The violation formula for one module and the concrete rule for the re-check.
    private func encode(_ module: BootModule, bank0: AddressRange<GuestAddress>?, g: BitVector, ram: Formula, d: DomainTerms) throws -> (Formula, Rule) {
        let c = { (v: UInt64) throws -> BitVector in try d.terms.constant(v) }
        if module.kind == .deviceTree {
            let misaligned = module.range.base.rawValue & 7 != 0
            let tooBig = module.range.size > Self.twoMiB
            let formula = try Formula.or([
                try (try c(module.range.base.rawValue).and(try c(7))).notEquals(try c(0)),
                try c(module.range.size).ugt(try c(Self.twoMiB)),
            ], in: d.context)
            let broken = misaligned ? "device tree at \(module.range.base) is not 8-byte aligned" : (tooBig ? "device tree of \(Hex.format(module.range.size)) bytes exceeds 2 MiB" : nil)
            return (formula, Rule(module: module, guest: nil, broken: broken))
        }
        guard let format = module.imageFormat, let bank0 else {
            return (d.context.trueFormula, Rule(module: module, guest: nil, broken: "\(module.domain) has no RAM bank to place the kernel in"))
        }
        let base = bank0.base.rawValue
        let load: BitVector
        let length: UInt64
        var extra: [Formula] = []
        var broken: String?
        var concreteLoad: UInt64
        switch format {
        case .arm64Image(let textOffset, let imageSize):
            load = try c(base) + (try c(textOffset))
            length = imageSize
            concreteLoad = base &+ textOffset
            extra.append(try (try c(base).and(try c(Self.twoMiB - 1))).notEquals(try c(0)))
            if base & (Self.twoMiB - 1) != 0 { broken = "arm64 Image base \(bank0.base) (bank 0) is not 2 MiB aligned" }
        case .zImage:
            length = module.range.size
            let loadEnd = min(base &+ (128 << 20), bank0.end?.rawValue ?? .max)
            load = try (try c(loadEnd) - (try c(length))).and(try c(~(Self.twoMiB - 1)))
            concreteLoad = (loadEnd &- length) & ~(Self.twoMiB - 1)
            extra.append(try load.ult(try c(base)))
            if concreteLoad < base { broken = "zImage of \(Hex.format(length)) bytes does not fit in the first 128 MiB of bank 0 \(bank0)" }
        case .uImage(let address):
            load = try c(address.rawValue)
            length = module.range.size
            concreteLoad = address.rawValue
        }
        let inImage = try Formula.and([try load.ule(g), try (g - load).ult(try c(length))])
        let formula = try Formula.or([try Formula.and([inImage, try ram.negated()])] + extra, in: d.context)
        let guest = (try? AddressRange(base: GuestAddress(concreteLoad), size: length))
        return (formula, Rule(module: module, guest: guest, broken: broken))
    }
}
