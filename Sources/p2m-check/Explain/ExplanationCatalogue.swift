/// The explanations of the twelve property ids of DESIGN.md's catalogue,
/// keyed by the id string so that ids the `Invariants` target does not check
/// yet are already explained (a test requires one for every `PropertyID`).
enum ExplanationCatalogue {
    /// The explanation for `id`, or nil for an id not in the catalogue.
    static func explanation(for id: String) -> PropertyExplanation? {
        all.first { $0.id == id }
    }

    /// The ids, in DESIGN.md's order.
    static var ids: [String] { all.map(\.id) }

    static let all: [PropertyExplanation] = [
        PropertyExplanation(
            id: "load-disjoint",
            summary: "two things the hypervisor keeps in machine memory at boot share bytes; the later write corrupts the earlier",
            meaning: "The hypervisor image, every boot module (the bytes the bootloader loaded and the footprint the image needs once it runs), the xenheap, each domain's p2m pool and every page-table page the stage-2 walk reaches are pairwise disjoint in machine memory. Table pages may lie in their own domain's pool: that is where they come from.",
            whyItMatters: "Whatever is written second wins. A p2m pool over the dom0 kernel means the first stage-2 table written destroys kernel text, and dom0 dies long after the cause, usually with no console output. On Xen, add_boot_module refuses a module overlapping another (it is then silently dropped, and the boot later stops with \"Missing kernel boot module?\"), but nothing checks modules against where the pool or heap end up when those are fixed by hand.",
            causes: [
                .init(cause: "Boot modules placed by hand (u-boot kernel_addr_r, fdt_addr_r, ramdisk_addr_r) overlap each other once the real image sizes are used.",
                      fix: "Give each module a load address past the previous one's end rounded up to 2M, or let the bootloader compute addresses from file sizes."),
                .init(cause: "A p2m pool, heap or static region given a fixed address that lies inside a loaded module.",
                      fix: "Drop the fixed address so the hypervisor places it (Xen's consider_modules avoids every module and reserved region), or move it above the highest module."),
                .init(cause: "A module's run-time footprint (a zImage decompressing past its file size, an Image's text_offset) exceeds the file size that was reserved.",
                      fix: "Set the module's footprint in the spec to what the image needs at run time and move the next module up."),
            ]),
        PropertyExplanation(
            id: "load-in-ram",
            summary: "something the hypervisor loads or allocates is not wholly inside one RAM bank, or it lies in reserved memory",
            meaning: "The hypervisor image, each boot module, the heaps, the p2m pools and the table pages each lie wholly inside one RAM bank of the spec and outside every reserved-memory region.",
            whyItMatters: "Loading into a hole between banks or past the end of RAM loses the data silently on most boards; loading into reserved memory (firmware, a secure-world carve-out, a co-processor's buffer) corrupts something else that runs. Xen does not check that DTB or initrd modules lie in RAM, and does not require reserved regions to lie in RAM.",
            causes: [
                .init(cause: "A load address copied from another board whose RAM starts elsewhere (0x80000000 on many boards, 0x40000000 on Exynos).",
                      fix: "Take RAM bank bases and sizes from the board's device tree /memory node and move the module inside a bank."),
                .init(cause: "A module that straddles the end of a bank, or the boundary between two banks.",
                      fix: "Move it down so that base + size stays inside one bank; banks are not contiguous even when they look adjacent."),
                .init(cause: "A /reserved-memory child (no-map carve-out) placed over a load address.",
                      fix: "Move the module out of the reserved region, or correct the reserved region if the spec copied it wrongly."),
            ]),
        PropertyExplanation(
            id: "s2-injective",
            summary: "two guest addresses of one domain reach the same machine byte, so writes through one appear through the other",
            meaning: "Within one domain's stage-2 tables, as decoded, no two distinct guest-physical addresses translate to the same machine address, except inside regions the spec declares shared.",
            whyItMatters: "An alias inside one guest breaks the guest kernel's assumption that distinct physical pages are distinct: its page allocator hands out the same memory twice, and with a 1:1 dom0 a DMA buffer can alias a page the kernel also uses elsewhere. The corruption looks random.",
            causes: [
                .init(cause: "A device or reserved region mapped into the guest that overlaps RAM already mapped to it.",
                      fix: "Remove the overlap in the spec: the device window or reserved range is wrong, or RAM was described too large."),
                .init(cause: "Block splitting or remapping code that wrote a new leaf without unmapping the old one.",
                      fix: "Fix the p2m code: replace an entry with break-before-make and unmap the old range first."),
            ]),
        PropertyExplanation(
            id: "isolation",
            summary: "one machine RAM page is mapped into two domains without being declared shared",
            meaning: "No machine RAM page is reachable through the stage-2 tables of two different domains, unless the spec declares that range shared between exactly those domains.",
            whyItMatters: "Isolation between domains is the hypervisor's reason to exist: a page in two domains lets one read and corrupt the other's memory. With dom0less static memory the ranges are written by hand and an overlap goes unnoticed until both guests run.",
            causes: [
                .init(cause: "Two dom0less domains given overlapping xen,static-mem ranges.",
                      fix: "Make the static-mem ranges disjoint; list them in address order to see overlaps."),
                .init(cause: "A region meant to be shared (a ring buffer) that is not declared as static shared memory.",
                      fix: "Declare it as shared memory for both domains, or give each domain its own range."),
            ]),
        PropertyExplanation(
            id: "hyp-private",
            summary: "a guest mapping reaches memory or a device the hypervisor must keep to itself",
            meaning: "No guest mapping reaches a page-table page, the hypervisor's image or heaps, the GIC hypervisor interface (GICH) or the hypervisor's console UART.",
            whyItMatters: "A guest that can write its own stage-2 tables can map any machine memory: isolation is gone. A guest with the GICH window can inject interrupts into other vCPUs, and one with the console UART takes the hypervisor's only debug output. Xen keeps these out of dom0 by not mapping GICH/GICV and by skipping its console UART when it walks the device tree.",
            causes: [
                .init(cause: "The hypervisor's console UART listed as a dom0 device in the spec.",
                      fix: "Mark the console UART as owned by the hypervisor (Xen skips the dtuart it uses)."),
                .init(cause: "The GIC's hypervisor interface given the wrong role, so it is treated as an ordinary device.",
                      fix: "Give the GICH window role gich; Xen never maps it into a guest."),
                .init(cause: "A p2m pool placed inside a domain's RAM, so the domain's own tables are mapped into it.",
                      fix: "Let the hypervisor place the pool outside every domain's RAM."),
            ]),
        PropertyExplanation(
            id: "identity",
            summary: "a direct-mapped domain has a guest address that does not equal the machine address it reaches",
            meaning: "For a direct-mapped (1:1) domain, every RAM mapping, and for dom0 every MMIO mapping, translates guest-physical address g to machine address g.",
            whyItMatters: "Dom0 is direct-mapped on Arm so that devices without an IOMMU can DMA to the addresses dom0 programs into them. If a guest page is not at the same machine address, DMA hits another page: disk and network data land in someone else's memory.",
            causes: [
                .init(cause: "A dom0 memory size or bank layout for which the 1:1 allocator falls back to a non-identity placement in the p2m code.",
                      fix: "Fix the p2m code: allocate_memory_11 maps every chunk with gfn == mfn."),
                .init(cause: "A direct-mapped dom0less domain without static memory, or with static memory the spec does not describe.",
                      fix: "Give the domain xen,static-mem ranges; Xen requires static allocation for a direct-mapped domU."),
            ]),
        PropertyExplanation(
            id: "ipa-disjoint",
            summary: "two things in one guest's address space (RAM, MMIO, an emulated device, the grant table) overlap",
            meaning: "In each guest-physical address space, RAM, mapped MMIO and emulated regions (vGIC distributor and CPU interface, vUART, grant-table window, magic pages) are pairwise disjoint.",
            whyItMatters: "When an emulated region overlaps RAM, the guest's accesses to that RAM trap into the emulator or reach the wrong device; the guest sees memory that reads back garbage. With a 1:1 dom0 the guest layout is the host layout, so the emulated GIC and the grant table must fall in holes of the host map.",
            causes: [
                .init(cause: "A host device window, copied 1:1 into dom0, that overlaps where the hypervisor emulates the GIC or places the grant table.",
                      fix: "Check the device's base in the board's device tree; the GIC emulation uses the host GIC's addresses for dom0."),
                .init(cause: "A domU with more RAM than GUEST_RAM0 holds, spilling into the second bank, with xen,reg ranges placed by hand in the same window.",
                      fix: "Put passthrough xen,reg ranges outside the guest RAM banks."),
            ]),
        PropertyExplanation(
            id: "attributes",
            summary: "a leaf has memory attributes or permissions that do not match what it maps",
            meaning: "RAM is mapped Normal write-back cacheable and executable for the guest; MMIO is mapped with Device attributes and execute-never; the access permissions match the p2m type (read-only types are not writable). Xen maps dom0's device-tree MMIO as p2m_mmio_direct_c (Normal cacheable at stage 2, so dom0's own stage-1 attributes decide), which this property accepts for dom0.",
            whyItMatters: "A device window mapped cacheable at stage 2 for a guest that cannot override it lets writes sit in the cache and never reach the device; RAM mapped as Device makes the guest crawl and faults on unaligned accesses; executable MMIO lets speculative instruction fetches touch device registers.",
            causes: [
                .init(cause: "A p2m type to attribute table that maps a MMIO type to Normal memory, or a RAM type to Device.",
                      fix: "Fix the type-to-attribute mapping in the p2m code (Xen: p2m_set_permission and the MATTR selection in mfn_to_p2m_entry)."),
                .init(cause: "A region described as RAM in the spec that is really device memory (on-chip SRAM, a frame buffer aperture).",
                      fix: "Describe it as a device, or as reserved memory, not as a RAM bank."),
            ]),
        PropertyExplanation(
            id: "leaf-in-backing",
            summary: "a leaf, typically a 2M or 1G block, maps machine memory beyond what backs it",
            meaning: "Every leaf of the decoded tables, 1G and 2M blocks included, lies wholly inside what backs it: a RAM range given to that domain, or the device region it maps.",
            whyItMatters: "A block that is larger than the region it was meant for (block overreach) maps the neighbouring machine memory into the guest: the next device's registers, another domain's RAM or the hypervisor itself. The guest did not ask for it, so nothing notices until it touches it.",
            causes: [
                .init(cause: "The mapping code chose a block size from the alignment of the address alone, not from the remaining size.",
                      fix: "Fix the order selection: a block of order n needs both addresses aligned to it and at least 2^n pages left to map."),
                .init(cause: "A device window smaller than a page, or not page-aligned, rounded up to a page that contains another device.",
                      fix: "Check the window in the device tree; if two devices share a page, they must go to the same domain."),
            ]),
        PropertyExplanation(
            id: "ranges",
            summary: "an address does not fit the configured IPA or PA size, or the table walk is malformed",
            meaning: "Every guest address fits the configured IPA size, every machine address fits the PA size, and the stage-2 walk is well formed: table descriptors point at pages of the domain's p2m pool, no page is reached twice (no loop, no sharing), reserved bits are zero and no reserved encoding is used.",
            whyItMatters: "The MMU ignores or faults on what does not fit: an output address above the PA size is truncated on some cores and faults on others; a table page outside the pool can be freed and reused while still live; a loop or shared table page means two parts of the address space change together.",
            causes: [
                .init(cause: "A RAM bank or device above the PA size the spec declares (for example above 1T with 40-bit PA).",
                      fix: "Correct pa_bits for the SoC (Exynos 5250: 40-bit LPAE) or the region's base."),
                .init(cause: "A p2m table page allocated outside the pool, or freed while still referenced.",
                      fix: "Fix the p2m code: allocate table pages only from the domain's pool and free them only after the descriptor pointing at them is cleared and the TLB is flushed."),
            ]),
        PropertyExplanation(
            id: "dt-consistent",
            summary: "the device tree given to dom0 does not describe exactly what is mapped",
            meaning: "The memory nodes and device nodes in dom0's device tree describe exactly the RAM and MMIO that dom0's stage-2 tables map: no bank missing or extra, no device mapped but not described, none described but not mapped.",
            whyItMatters: "Dom0 only uses what its device tree tells it about. RAM mapped but not described is wasted; RAM described but not mapped faults on first use (usually deep inside the page allocator); a device described but not mapped faults in its driver's probe. On the Arndale, a missing memory bank in the handed-over tree cost days of debugging with no console.",
            causes: [
                .init(cause: "The hypervisor emits the memory node from a different bank list than the one it mapped.",
                      fix: "Build the memory node from the banks that were actually allocated (Xen: make_memory_node from kinfo->mem)."),
                .init(cause: "A device blacklisted for dom0, or owned by the hypervisor, whose node is still passed on.",
                      fix: "Remove the node from dom0's tree, or mark it disabled, when the device is not mapped."),
            ]),
        PropertyExplanation(
            id: "module-rules",
            summary: "a boot image is placed where its format's rules do not allow",
            meaning: "Each boot image obeys its format's placement rules: alignment (2M for an arm64 Image base; 8 bytes for a DTB), a size limit (a DTB at most 2M), and the window it must be reachable in (an arm32 zImage within the first 128M of its bank, the DTB and initrd in bank 0).",
            whyItMatters: "A misplaced image does not fail loudly: an arm64 kernel at an unaligned base runs with the wrong physical offset, a zImage too high decompresses over the DTB, a DTB over 2M is truncated when the hypervisor maps it. Xen panics for some of these (\"Not enough memory in the first bank for the kernel+dtb+initrd\") and silently accepts others.",
            causes: [
                .init(cause: "A load address chosen without the format's alignment in mind.",
                      fix: "Align arm64 Image bases to 2M and DTBs to at least 8 bytes."),
                .init(cause: "Bank 0 too small for kernel, DTB and initrd together once Xen rounds the DTB and initrd to 2M.",
                      fix: "Give dom0 more memory, or shrink the initrd; Xen needs ROUNDUP(kernel end, 2M) - kernel base + DTB + initrd within bank 0."),
            ]),
    ]
}
