import Foundation
import Invariants
import P2MModel
import SpecFormat
import Testing
@testable import p2m_check

/// `import-uboot`, `import-imagebuilder` and `import-dtb --xen/--kernel/--ramdisk`
/// end to end: the specs they write validate against the schema, and their
/// verdicts match the layouts the scripts and configs describe.
struct ImportBootFilesTests {
    /// Runs an importer; returns the spec text and stderr (exit status must be `status`).
    func importSpec(_ arguments: [String], status: Int32 = 0) throws -> (spec: String, stderr: String) {
        let out = try BootFixtures.directory() + "/spec.json"
        let result = try TestSupport.run(arguments + ["-o", out])
        #expect(result.status == status, "\(result.stderr)")
        guard status == 0 else { return ("", result.stderr) }
        return (try String(contentsOfFile: out, encoding: .utf8), result.stderr)
    }

    func check(_ text: String) throws -> CheckRun {
        #expect(try BoardSpecsTests.validator().validate(try JSONParser.parse(Array(text.utf8))).isEmpty)
        return CheckRun.perform(specPath: try TestSupport.temporarySpec(text), options: CheckOptions(), selection: nil)
    }

    func violations(_ run: CheckRun, _ property: PropertyID) -> [Violation] {
        guard case .checked(_, _, let results) = run.result, let r = results.first(where: { $0.property == property }), case .violated(let v) = r.verdict else { return [] }
        return v
    }

    func provesEverything(_ run: CheckRun) -> Bool {
        guard case .checked(_, _, let results) = run.result else { return false }
        return results.count == PropertyID.allCases.count && results.allSatisfy { $0.verdict == .proved }
    }

    // MARK: - The shipped examples

    @Test func arndaleScriptRoundTripsToASpecThatProves() throws {
        let files = try BootFixtures.examples()
        let (text, stderr) = try importSpec(["import-uboot", TestSupport.spec("specs/examples/arndale/boot.cmd"), "--files", files + "/arndale"])
        let run = try check(text)
        #expect(provesEverything(run), "\(run.result)")
        guard case .checked(let spec, _, _) = run.result else { return }
        // Xen runs where bootm copies the uImage's payload, over its zImage header's end (.bss included).
        #expect(spec.hypervisor.range == AddressRange(uncheckedBase: MachineAddress(0x4200_0000), size: 0x12_0000))
        #expect(spec.bootModules.map(\.name) == ["dom0-module@44000000", "dom0-module@43300000", "host-dtb"])
        #expect(spec.bootModules.allSatisfy { $0.declared })
        #expect(spec.bootModules[0].imageFormat == .zImage && spec.bootModules[0].range.size == 0x58_0000)
        // The tree is the one U-Boot hands over: resized (fdt resize 1000) and padded by CONFIG_SYS_FDT_PAD.
        #expect(spec.bootModules[2].range == AddressRange(uncheckedBase: MachineAddress(0x4300_0000), size: 0x6000))
        #expect(stderr.contains("note: line 31: bootm copies xen-uImage's payload to its load address 0x42000000"))
    }

    @Test func theBringUpHackLeavesTheKernelUndeclaredAndTheXenheapLandsOnIt() throws {
        let files = try BootFixtures.examples()
        let (text, stderr) = try importSpec(["import-uboot", TestSupport.spec("specs/examples/arndale/boot-hack.cmd"), "--files", files + "/arndale"])
        #expect(stderr.contains("zImage (line 12, 0x580000 bytes, zImage, start 0x0, end 0x580000) at 0xbe000000 is loaded but no /chosen module declares it"))
        let run = try check(text)
        let found = violations(run, .loadDisjoint)
        #expect(found.contains { v in v.regions.map(\.name).sorted() == ["undeclared-zImage", "xenheap"] && v.machineWitnesses.contains { $0.rawValue >= 0xBE00_0000 && $0.rawValue < 0xBE58_0000 } }, "\(found.map(\.message))")
        #expect(found.contains { $0.regions.contains { $0.origin.path == "/boot_modules/2" } })
        let exit = try TestSupport.run([try TestSupport.temporarySpec(text)])
        #expect(exit.status == 1)
    }

    @Test func imageBuilderConfigRoundTripsToTheLayoutItWouldProduce() throws {
        let files = try BootFixtures.examples()
        let script = try BootFixtures.directory() + "/boot.source"
        let (text, _) = try importSpec(["import-imagebuilder", TestSupport.spec("specs/examples/zcu102/imagebuilder.config"), "--files", files + "/zcu102", "--script", script])
        let source = try String(contentsOfFile: script, encoding: .utf8)
        // uboot-script-gen's order and 2 MiB slots sized by file length, from MEMORY_START + 2 MiB (at least 0xC00000) + 2 MiB.
        let loads = source.split(separator: "\n").filter { $0.hasPrefix("load ") }.map { $0.split(separator: " ")[3] }
        #expect(loads == ["0xE00000", "0x2A00000", "0x4200000", "0x5E00000", "0x6600000", "0x6800000"])
        #expect(source.hasSuffix("setenv fdt_high 0xffffffffffffffff\nbooti 0x6600000 - 0x6800000\n"))
        #expect(source.contains("fdt set /chosen/domU0 memory <0x0 0x40000>"))
        let run = try check(text)
        #expect(provesEverything(run), "\(run.result)")
        guard case .checked(let spec, _, _) = run.result else { return }
        #expect(spec.hypervisor.range == AddressRange(uncheckedBase: MachineAddress(0x660_0000), size: 0x13_0000))
        #expect(spec.domains.map(\.name) == ["dom0", "domU0"] && spec.domains[1].memorySize == 256 << 20)
        #expect(spec.domains[0].memorySize == 1024 << 20)  // DOM0_MEM
        #expect(source.contains("xen,xen-bootargs \"console=dtuart dtuart=serial0 dom0_mem=1024M dom0_max_vcpus=2 bootscrub=0 vwfi=native sched=null\""))
        #expect(spec.bootModules.first { $0.name == "domU0-module0x4200000" }?.imageFormat == .arm64Image(textOffset: 0, imageSize: 0x1C8_0000))
    }

    // MARK: - What ImageBuilder's rule misses

    /// The ZCU102 config's files, with Xen's length and image_size chosen by the test.
    func zcu102Files(xenLength: UInt64, xenImageSize: UInt64) throws -> String {
        let dir = try BootFixtures.directory()
        try BootFixtures.write(BootFixtures.arm64(imageSize: xenImageSize), length: xenLength, to: dir + "/xen")
        try BootFixtures.write(BootFixtures.arm64(imageSize: 0x1C8_0000), length: 0x1A2_0200, to: dir + "/Image-dom0")
        try BootFixtures.write(BootFixtures.cpio, length: 0x180_0000, to: dir + "/dom0-ramdisk.cpio")
        try BootFixtures.write(BootFixtures.arm64(imageSize: 0x1C8_0000), length: 0x1A2_0200, to: dir + "/zynqmp-dom1/Image-domU")
        try BootFixtures.write(BootFixtures.cpio, length: 0x80_0000, to: dir + "/zynqmp-dom1/domU-ramdisk.cpio")
        try BootFixtures.copy("specs/examples/zcu102/zcu102.dtb", to: dir + "/mpsoc.dtb")
        return dir
    }

    @Test func xensBssRunningPastItsSlotLandsOnTheDeviceTree() throws {
        // 0x1F0000 bytes fill Xen's slot to 64 KiB short of 2 MiB; its .bss takes it 0x30000 past the slot, into the tree.
        let files = try zcu102Files(xenLength: 0x1F_0000, xenImageSize: 0x23_0000)
        let (text, stderr) = try importSpec(["import-imagebuilder", TestSupport.spec("specs/examples/zcu102/imagebuilder.config"), "--files", files])
        #expect(stderr.contains("XEN: xen occupies 0x230000 bytes in memory (arm64 Image, text_offset 0x0, image_size 0x230000) but ImageBuilder sized its slot by its length 0x1f0000: it runs 0x30000 bytes into the next slot at 0x6800000; Xen runs in place and zeroes its .bss there"))
        let found = violations(try check(text), .loadDisjoint)
        #expect(found.contains { v in Set(v.regions.map(\.origin.path)) == ["/hypervisor", "/boot_modules/4"] && v.regions.contains { $0.name == "host-dtb" } && v.machineWitnesses.allSatisfy { $0.rawValue >= 0x680_0000 && $0.rawValue < 0x683_0000 } }, "\(found.map(\.message))")
        // Must-pass neighbour: the same Xen with a .bss that ends inside its slot.
        let fits = try zcu102Files(xenLength: 0x1F_0000, xenImageSize: 0x20_0000)
        let (good, _) = try importSpec(["import-imagebuilder", TestSupport.spec("specs/examples/zcu102/imagebuilder.config"), "--files", fits])
        #expect(violations(try check(good), .loadDisjoint).isEmpty)
    }

    @Test func imageBuilderErrorsNameTheConfigLine() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let config = try String(contentsOfFile: TestSupport.spec("specs/examples/zcu102/imagebuilder.config"), encoding: .utf8)
        func run(_ text: String) throws -> String {
            let path = try TestSupport.temporarySpec(text, name: "config")
            return try importSpec(["import-imagebuilder", path, "--files", files], status: 2).stderr
        }
        #expect(try run(config.replacingOccurrences(of: "DOM0_RAMDISK=\"dom0-ramdisk.cpio\"", with: "DOM0_RAMDISK=\"missing.cpio\"")).contains("config: line 12: DOM0_RAMDISK: missing.cpio is not in"))
        #expect(try run(config.replacingOccurrences(of: "MEMORY_END=\"0x80000000\"", with: "MEMORY_END=\"0x6000000\"")).contains("config: line 5: not enough memory to load all binaries: they end at 0x6a00000, MEMORY_END is 0x6000000"))
        #expect(try run(config + "XEN_CMD=$(cat cmdline)\n").contains("config: line 24: shell expansion \"$(\" is not supported"))
    }

    @Test func staticMemoryDirectMapColoursAndPassthroughAreWritten() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let config = try String(contentsOfFile: TestSupport.spec("specs/examples/zcu102/imagebuilder.config"), encoding: .utf8)
            + "DOMU_STATIC_MEM[0]=\"0x50000000 0x10000000\"\nDOMU_COLORS[0]=\"4-7\"\nDOMU_PASSTHROUGH_PATHS[0]=\"/axi/ethernet@ff0e0000\"\n"
        let script = try BootFixtures.directory() + "/boot.source"
        let path = try TestSupport.temporarySpec(config, name: "config")
        let (_, stderr) = try importSpec(["import-imagebuilder", path, "--files", files, "--script", script])
        let source = try String(contentsOfFile: script, encoding: .utf8)
        #expect(source.contains("fdt set /chosen/domU0 memory <0x0 0x40000>\n"))
        #expect(source.contains("fdt set /chosen/domU0 xen,static-mem <0x0 0x50000000 0x0 0x10000000>\nfdt set /chosen/domU0 direct-map\n"))
        #expect(source.contains("fdt set /chosen/domU0 colors <0xF0>\n"))
        #expect(source.contains("fdt set /axi/ethernet@ff0e0000 xen,passthrough\n"))
        #expect(stderr.contains("DOMU_COLORS[0]: cache colouring is not in the spec format"))
        // The guest's kernel is declared under its xen,domain node, whether or not the import keeps the guest.
        #expect(!stderr.contains("is loaded but no /chosen module declares it"), "\(stderr)")
    }

    @Test func overlaysAndBitstreamTakeTheirSlotsButAreNotModules() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        try BootFixtures.copy("specs/examples/zcu102/zcu102.dtb", to: files + "/extra.dtbo")
        try BootFixtures.write([0xFF, 0xFF], length: 0x1A_0000, to: files + "/design.bit")
        let config = try String(contentsOfFile: TestSupport.spec("specs/examples/zcu102/imagebuilder.config"), encoding: .utf8)
            + "NUM_DT_OVERLAY=1\nDT_OVERLAY[0]=\"extra.dtbo\"\nBITSTREAM=design.bit\n"
        let script = try BootFixtures.directory() + "/boot.source"
        let path = try TestSupport.temporarySpec(config, name: "config")
        let (text, stderr) = try importSpec(["import-imagebuilder", path, "--files", files, "--script", script])
        let source = try String(contentsOfFile: script, encoding: .utf8)
        // Xen at 0x6600000 (1 MiB), the overlay in the next slot, the tree after it, then the bitstream.
        #expect(source.contains("load mmc 0:1 0x6800000 extra.dtbo\nload mmc 0:1 0x6A00000 mpsoc.dtb\nload mmc 0:1 0x6C00000 design.bit\nfpga load 0 0x6C00000 0x1A0000\n"))
        #expect(source.contains("fdt resize 1024\nfdt apply 0x6800000\n") && source.hasSuffix("booti 0x6600000 - 0x6A00000\n"))
        #expect(!stderr.contains("is loaded but no /chosen module declares it"))
        #expect(stderr.contains("fdt apply is not modelled"))
        #expect(provesEverything(try check(text)))
    }

    // MARK: - Loaded but undeclared

    /// A U-Boot script over the ZCU102 tree: Xen, a declared dom0 kernel, and `extra` lines.
    func zcu102Script(_ extra: String, kernelReg: String = "0x${kernel_size}") -> String {
        """
        load mmc 0:1 0xe00000 Image-dom0
        setenv kernel_size ${filesize}
        load mmc 0:1 0x6600000 xen
        load mmc 0:1 0x6800000 mpsoc.dtb
        \(extra)
        fdt addr 0x6800000
        fdt resize 1024
        fdt set /chosen \\#address-cells <0x2>
        fdt set /chosen \\#size-cells <0x2>
        fdt mknod /chosen dom0
        fdt set /chosen/dom0 compatible "xen,linux-zimage" "xen,multiboot-module"
        fdt set /chosen/dom0 reg <0x0 0xe00000 0x0 \(kernelReg)>
        setenv fdt_high 0xffffffffffffffff
        booti 0x6600000 - 0x6800000
        """
    }

    func importScript(_ script: String, files: String) throws -> (spec: String, stderr: String) {
        let path = try TestSupport.temporarySpec(script, name: "boot.cmd")
        return try importSpec(["import-uboot", path, "--files", files, "--dom0-memory", "1G"])
    }

    @Test func thePoolAndItsPageTablesLandInAnUndeclaredImage() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        try BootFixtures.write(BootFixtures.cpio, length: 0x100_0000, to: files + "/blob.bin")
        // Loaded at the top of the high DDR bank, where the p2m pools go; no /chosen node says so.
        let (text, stderr) = try importScript(zcu102Script("load mmc 0:1 0x87f000000 blob.bin"), files: files)
        #expect(stderr.contains("is loaded but no /chosen module declares it"))
        #expect(text.contains("\"declared\": false"))
        let run = try check(text)
        let found = violations(run, .loadDisjoint)
        #expect(found.contains { v in v.regions.contains { $0.name == "undeclared-blob.bin" } && v.regions.contains { $0.kind == .p2mPool } }, "\(found.map(\.message))")
        // The page-table pages the walk found are inside the loaded image.
        guard case .checked(_, let facts, _) = run.result else { Issue.record("not checked"); return }
        let image = AddressRange(uncheckedBase: MachineAddress(0x8_7F00_0000), size: 0x100_0000)
        let tables = facts.loadRegions.filter { $0.reference.kind == .tablePage }
        #expect(!tables.isEmpty && tables.contains { image.contains($0.range.base) })

        // Must-pass neighbour: the same bytes declared as a /chosen module are avoided.
        let declared = zcu102Script("""
            load mmc 0:1 0x87f000000 blob.bin
            fdt addr 0x6800000
            fdt mknod /chosen blob
            fdt set /chosen/blob compatible "multiboot,ramdisk" "multiboot,module"
            fdt set /chosen/blob reg <0x8 0x7f000000 0x0 0x1000000>
            """)
        let (good, _) = try importScript(declared, files: files)
        #expect(!good.contains("\"declared\": false"))
        #expect(violations(try check(good), .loadDisjoint).isEmpty)
    }

    @Test func bootiMovingXenOntoTheTreeIsReported() throws {
        // Xen loaded 1 MiB below the tree, not 2 MiB aligned: booti moves it up to the next 2 MiB, where the tree is.
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let script = zcu102Script("").replacingOccurrences(of: "0x6600000", with: "0x6700000")
        let (text, stderr) = try importScript(script, files: files)
        #expect(stderr.contains("booti moves xen from 0x6700000 to 0x6800000"))
        let found = violations(try check(text), .loadDisjoint)
        #expect(found.contains { Set($0.regions.map(\.name)) == ["xen", "host-dtb"] }, "\(found.map(\.message))")
        // Must-pass neighbour: loaded 2 MiB aligned, it runs in place.
        let (good, _) = try importScript(zcu102Script(""), files: files)
        #expect(violations(try check(good), .loadDisjoint).isEmpty)
    }

    @Test func aLoadOverAnEarlierDeclaredImageIsReported() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let (text, stderr) = try importScript(zcu102Script("""
            load mmc 0:1 0x2000000 dom0-ramdisk.cpio
            fdt addr 0x6800000
            fdt mknod /chosen ramdisk
            fdt set /chosen/ramdisk compatible "xen,linux-initrd" "xen,multiboot-module"
            fdt set /chosen/ramdisk reg <0x0 0x2000000 0x0 0x${filesize}>
            """), files: files)
        // The kernel (0xe00000 + 0x1a20200) runs into the ramdisk loaded at 0x2000000 after it.
        #expect(stderr.contains("dom0-ramdisk.cpio at 0x2000000 overwrites Image-dom0 loaded at 0xe00000 (line 1)"))
        let found = violations(try check(text), .loadDisjoint)
        #expect(found.contains { Set($0.regions.map(\.name)) == ["dom0-dom0", "dom0-ramdisk"] && $0.machineWitnesses.allSatisfy { $0.rawValue >= 0x200_0000 && $0.rawValue < 0x282_0200 } }, "\(found.map(\.message))")
    }

    @Test func aModuleRegShorterThanWhatWasLoadedLeavesAnUndeclaredTail() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let (text, stderr) = try importScript(zcu102Script("", kernelReg: "0x1000000"), files: files)
        #expect(stderr.contains("is longer than /chosen/dom0's reg (0x1000000 bytes): Xen takes the 0xa20200 bytes after it as free memory; added as undeclared module dom0-dom0-past-reg"))
        let run = try check(text)
        guard case .checked(let spec, _, _) = run.result else { Issue.record("\(run.result)"); return }
        let tail = try #require(spec.bootModules.first { $0.name == "dom0-dom0-past-reg" })
        #expect(!tail.declared && tail.range == AddressRange(uncheckedBase: MachineAddress(0x1E0_0000), size: 0xA2_0200))
    }

    @Test func aDeclaredModuleNothingWasLoadedIntoIsNoted() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let script = zcu102Script("").replacingOccurrences(of: "load mmc 0:1 0xe00000 Image-dom0\nsetenv kernel_size ${filesize}\n", with: "setenv kernel_size 1a20200\n")
        let (_, stderr) = try importScript(script, files: files)
        #expect(stderr.contains("note: /chosen/dom0 declares dom0-dom0 at 0xe00000, but nothing was loaded there"))
    }

    @Test func scriptErrorsExitTwoAndNameTheLine() throws {
        let files = try zcu102Files(xenLength: 0x10_0000, xenImageSize: 0x12_0000)
        let path = try TestSupport.temporarySpec("load mmc 0:1 0x6600000 xen\n\nbooti ${xen_addr}\n", name: "boot.cmd")
        let (_, stderr) = try importSpec(["import-uboot", path, "--files", files], status: 2)
        #expect(stderr == "p2m-check: import-uboot: \(path): line 3: ${xen_addr} is not set (set it in the script or pass --env xen_addr=VALUE)\n")
        // --env supplies it; then the next problem is named: booti without a tree to hand Xen.
        let (_, next) = try importSpec(["import-uboot", path, "--files", files, "--env", "xen_addr=0x6600000", "--dtb", files + "/mpsoc.dtb"], status: 2)
        #expect(next == "p2m-check: import-uboot: \(path): line 3: booti: no device tree (no fdt addr and no tree argument)\n")
    }

    // MARK: - import-dtb's boot files

    @Test func importDTBReadsXenAndKernelHeaders() throws {
        let files = try zcu102Files(xenLength: 0xF_8000, xenImageSize: 0x13_0000)
        let (text, stderr) = try importSpec(["import-dtb", files + "/mpsoc.dtb", "--xen", files + "/xen@0x6600000", "--kernel", files + "/Image-dom0@0xe00000",
                                             "--ramdisk", files + "/dom0-ramdisk.cpio@0x2a00000", "--dom0-memory", "1G"])
        #expect(stderr.contains("no /chosen module at 0xe00000; added as declared module dom0-kernel for dom0"))
        let run = try check(text)
        #expect(provesEverything(run), "\(run.result)")
        guard case .checked(let spec, _, _) = run.result else { return }
        #expect(spec.hypervisor.range == AddressRange(uncheckedBase: MachineAddress(0x660_0000), size: 0x13_0000))
        #expect(spec.bootModules.map(\.name) == ["dom0-kernel", "dom0-ramdisk"] && spec.bootModules.allSatisfy { $0.declared })
        #expect(spec.bootModules[0].imageFormat == .arm64Image(textOffset: 0, imageSize: 0x1C8_0000))
        #expect(spec.bootModules[1].kind == .ramdisk)
        let bad = try TestSupport.run(["import-dtb", files + "/mpsoc.dtb", "--xen", files + "/xen"])
        #expect(bad.status == 2 && bad.stderr.contains("--xen must be FILE@ADDR"))
    }
}
