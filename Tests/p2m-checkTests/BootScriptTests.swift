import DeviceTree
import Foundation
import Testing
@testable import p2m_check

/// The U-Boot script reader, in process: the shell's words, each command form, and errors that name the line.
struct BootScriptTests {
    // MARK: - Words

    @Test func wordsQuotesCommentsAndSeparators() throws {
        let script = """
            setenv a "x  y"; echo $a # a comment
            fdt set /chosen \\#address-cells <1>
            setenv b 'lit ${a}' && echo \\
              continued
            """
        let commands = try ScriptLexer.commands(script)
        #expect(commands.map(\.line) == [1, 1, 2, 3, 3])
        let env = ["a": "x  y"]
        #expect(try ScriptLexer.expand(commands[0], env: env) == ["setenv", "a", "x  y"])
        #expect(try ScriptLexer.expand(commands[1], env: env) == ["echo", "x", "y"])  // unquoted: split
        #expect(try ScriptLexer.expand(commands[2], env: env) == ["fdt", "set", "/chosen", "#address-cells", "<1>"])
        #expect(try ScriptLexer.expand(commands[3], env: env) == ["setenv", "b", "lit ${a}"])
        #expect(commands[3].conditional)
        #expect(try ScriptLexer.expand(commands[4], env: env) == ["echo", "continued"])
    }

    @Test func errorsNameTheLine() {
        #expect(throws: (any Error).self) { try ScriptLexer.commands("echo ok\nsetenv x \"open\n") }
        do {
            _ = try ScriptLexer.commands("echo ok\n\nsetenv x \"open\n")
        } catch { #expect(error.description == "line 3: unterminated double quote") }
        let unset = (try? ScriptLexer.commands("\n\nbooti ${kernel_addr_r}")) ?? []
        do {
            _ = try ScriptLexer.expand(unset[0], env: [:])
            Issue.record("an unset variable was expanded")
        } catch { #expect(error.description == "line 3: ${kernel_addr_r} is not set (set it in the script or pass --env kernel_addr_r=VALUE)") }
    }

    @Test func fdtSetValues() throws {
        #expect(try UBootInterpreter.propertyValue(["<0x0", "0x2A00000", "0", "010>"], line: 1) == [0, 0, 0, 0, 0x02, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8])
        #expect(try UBootInterpreter.propertyValue(["[00", "1a]"], line: 1) == [0, 0x1A])
        #expect(try UBootInterpreter.propertyValue(["multiboot,kernel", "multiboot,module"], line: 1) == Array("multiboot,kernel\0multiboot,module\0".utf8))
        #expect(try UBootInterpreter.propertyValue([], line: 1) == [])
        #expect(throws: (any Error).self) { try UBootInterpreter.propertyValue(["<0x100000000>"], line: 4) }
        #expect(throws: (any Error).self) { try UBootInterpreter.propertyValue(["<1", "2"], line: 4) }
    }

    @Test func mkimageScriptPayload() {
        let text = Array("echo hi\n".utf8)
        let image = BootFixtures.be32(0x2705_1956) + [UInt8](repeating: 0, count: 60) + BootFixtures.be32(UInt32(text.count)) + BootFixtures.be32(0) + text
        #expect(BootScriptImport.scriptText(image) == "echo hi\n")
        #expect(BootScriptImport.scriptText(text) == "echo hi\n")
    }

    // MARK: - Commands

    /// Files for the command tests: an arm64 Xen, a kernel, a zImage, a uImage-wrapped Xen, a ramdisk, the ZCU102 tree.
    static func files() throws -> BootFileDirectory {
        let dir = try BootFixtures.directory()
        try BootFixtures.write(BootFixtures.arm64(imageSize: 0x13_0000), length: 0xF_8000, to: dir + "/xen")
        try BootFixtures.write(BootFixtures.arm64(imageSize: 0x1C8_0000), length: 0x1A2_0200, to: dir + "/boot/Image")
        try BootFixtures.write(BootFixtures.zImage(end: 0x12_0000), length: 0xD_C000, to: dir + "/xen32")
        try BootFixtures.write(BootFixtures.uImage(wrapping: BootFixtures.arm64(imageSize: 0x13_0000), payloadLength: 0xF_8000, load: 0x660_0000), length: 0xF_8040, to: dir + "/xen.ub")
        try BootFixtures.write(BootFixtures.cpio, length: 0x80_0000, to: dir + "/rootfs.cpio")
        try BootFixtures.copy("specs/examples/zcu102/zcu102.dtb", to: dir + "/board.dtb")
        return BootFileDirectory(root: dir)
    }

    func run(_ script: String, env: [String: String] = [:], files: BootFileDirectory? = nil) throws -> BootPlan {
        var interpreter = UBootInterpreter(env: env, files: try files ?? Self.files(), baseTree: nil, dramStart: 0)
        return try interpreter.run(try ScriptLexer.commands(script))
    }

    func failure(_ script: String, env: [String: String] = [:]) -> String? {
        do { _ = try run(script, env: env) } catch let e as BootScriptError { return e.description } catch { return "\(error)" }
        return nil
    }

    @Test func everyLoadForm() throws {
        let plan = try run("""
            load mmc 0:1 0x6600000 xen
            fatload mmc 0:1 6800000 board.dtb
            ext2load mmc 0:2 0xe00000 /boot/Image
            ext4load mmc 0:2 0x2a00000 rootfs.cpio 100000
            setenv loadaddr 0x10000000
            tftpboot rootfs.cpio
            tftpb 0x20000000 192.168.0.1:xen32
            tftpb 0x30000000
            """, env: ["bootfile": "xen"])
        #expect(plan.loads.map(\.address) == [0x660_0000, 0x680_0000, 0xE0_0000, 0x2A0_0000, 0x1000_0000, 0x2000_0000, 0x3000_0000])
        #expect(plan.loads.map(\.file) == ["xen", "board.dtb", "/boot/Image", "rootfs.cpio", "rootfs.cpio", "xen32", "xen"])
        #expect(plan.loads[3].bytes == 0x10_0000)  // the byte count limits the read
        #expect(plan.loads[4].bytes == 0x80_0000)
        #expect(plan.loads.map(\.origin) == (1...8).filter { $0 != 5 }.map { "line \($0)" })
    }

    @Test func filesizeAndFileaddrAreSetByALoad() throws {
        let plan = try run("""
            load mmc 0:1 0xe00000 boot/Image
            setenv kernel_size ${filesize}
            setenv next 0x${fileaddr}
            fatload mmc 0:1 ${next} xen
            """)
        #expect(plan.loads.last?.address == 0xE0_0000)  // 0x + fileaddr
        #expect(plan.notes.contains { $0.contains("overwrites boot/Image") })
    }

    @Test func loadErrorsNameTheLine() {
        #expect(failure("echo\nload mmc 0:1 0x1000 missing.bin")?.hasPrefix("line 2: load: missing.bin is not in /") == true)
        #expect(failure("\n\nload mmc 0:1 zzz xen") == "line 3: load: no load address (\"zzz\" is not a hex number and $loadaddr is not set)")
        #expect(failure("load mmc") == "line 1: load needs an interface and a device")
    }

    @Test func bootiRunsXenWhereItsHeaderSays() throws {
        let plan = try run("""
            load mmc 0:1 0x6601000 xen
            load mmc 0:1 0x6800000 board.dtb
            fdt addr 0x6800000
            booti 0x6601000 - 0x6800000
            echo never
            """)
        #expect(plan.boot?.runAddress == 0x680_0000 && plan.boot?.runSize == 0x13_0000)
        #expect(plan.notes.contains { $0.hasPrefix("line 4: booti moves xen from 0x6601000 to 0x6800000") })
        #expect(plan.notes.contains { $0 == "line 5 on: not run, booti at line 4 does not return" })
        #expect(plan.treeAddress == 0x680_0000 && plan.tree != nil)
    }

    @Test func bootmRunsTheUImagePayloadAtItsLoadAddress() throws {
        let plan = try run("load mmc 0:1 0x1000000 xen.ub\nload mmc 0:1 0x6800000 board.dtb\nbootm 0x1000000 - 0x6800000")
        #expect(plan.boot?.command == "bootm" && plan.boot?.runAddress == 0x660_0000 && plan.boot?.runSize == 0x13_0000)
    }

    @Test func bootzRunsAZImageInPlace() throws {
        let plan = try run("load mmc 0:1 0x42000000 xen32\nload mmc 0:1 0x43000000 board.dtb\nbootz 0x42000000 - 0x43000000")
        #expect(plan.boot?.runAddress == 0x4200_0000 && plan.boot?.runSize == 0x12_0000)
    }

    @Test func bootErrorsNameTheLine() {
        #expect(failure("load mmc 0:1 0x42000000 xen32\nbooti 0x42000000 - 0x43000000") == "line 2: booti 0x42000000: xen32 (zImage) is not an arm64 Image (\"Bad Linux ARM64 Image magic!\")")
        #expect(failure("\nbootm 0x1000") == "line 2: bootm 0x1000: nothing was loaded there")
        #expect(failure("load mmc 0:1 0x40000000 xen\nbootm 0x40000000 - 0x6800000")?.hasPrefix("line 2: bootm 0x40000000: xen (arm64 Image) is not a uImage") == true)
        #expect(failure("load mmc 0:1 0x40000000 xen\nbooti 0x40000000 - 0x50000000") == "line 2: no device tree was loaded at 0x50000000 (and no --dtb was given)")
    }

    @Test func fdtEditsReachTheTree() throws {
        let plan = try run("""
            load mmc 0:1 0x6800000 board.dtb
            load mmc 0:1 0x6600000 xen
            load mmc 0:1 0x2a00000 rootfs.cpio
            fdt addr 0x6800000
            fdt resize 1024
            fdt set /chosen \\#address-cells <0x2>
            fdt set /chosen \\#size-cells <0x2>
            fdt mknod /chosen dom0-ramdisk
            fdt set /chosen/dom0-ramdisk compatible "xen,linux-initrd" "xen,multiboot-module"
            fdt set /chosen/dom0-ramdisk reg <0x0 0x2A00000 0x0 0x${filesize}>
            fdt rm /axi/serial@ff010000
            fdt print /chosen
            setenv fdt_high 0xffffffffffffffff
            booti 0x6600000 - 0x6800000
            """)
        let board = BoardExtractor.describe(try #require(plan.tree))
        #expect(board.modules.map(\.region.base) == [0x2A0_0000])
        #expect(board.modules.first?.kind == .ramdisk && board.modules.first?.region.size == 0x80_0000)
        #expect(!board.devices.contains { $0.region.dtPath == "/axi/serial@ff010000" })
        #expect(!plan.notes.contains { $0.contains("fdt_high") })
        // fdt resize, then the boot pad: the blob ends on a page boundary.
        #expect((0x680_0000 + UInt64(plan.tree?.header.totalSize ?? 0)) % 0x1000 == 0)
    }

    @Test func fdtErrorsNameTheLine() {
        #expect(failure("echo\nfdt set /chosen x <1>") == "line 2: fdt set: no device tree selected (fdt addr first)")
        #expect(failure("load mmc 0:1 0x6800000 board.dtb\nfdt addr 0x6800000\nfdt mknod /chosen a\nfdt mknod /chosen a") == "line 4: fdt mknod: /chosen/a already exists (FDT_ERR_EXISTS)")
        #expect(failure("load mmc 0:1 0x6800000 board.dtb\nfdt addr 0x6800000\nfdt set /nope x") == "line 3: fdt set: no node at /nope (FDT_ERR_NOTFOUND)")
    }

    @Test func bootiInitrdArgumentGoesIntoChosen() throws {
        let plan = try run("""
            load mmc 0:1 0x6800000 board.dtb
            load mmc 0:1 0x6600000 xen
            load mmc 0:1 0x2a00000 rootfs.cpio
            booti 0x6600000 0x2a00000:0x400000 0x6800000
            """)
        let board = BoardExtractor.describe(try #require(plan.tree))
        #expect(board.modules.map(\.region.base) == [0x2A0_0000] && board.modules.first?.region.size == 0x40_0000)
    }

    @Test func runAndSetexprComputeAddresses() throws {
        let plan = try run("""
            setenv base 0x6000000
            setexpr xen_addr ${base} + 600000
            setexpr fdt_addr ${xen_addr} + 0x200000
            setenv load_xen 'load mmc 0:1 ${xen_addr} xen; load mmc 0:1 ${fdt_addr} board.dtb'
            setenv go 'run load_xen; booti ${xen_addr} - ${fdt_addr}'

            run go
            """)
        #expect(plan.loads.map(\.address) == [0x660_0000, 0x680_0000])
        #expect(plan.loads.map(\.origin) == ["line 7", "line 7"])
        #expect(plan.boot?.runAddress == 0x660_0000)
        #expect(failure("setenv a 'run a'\nrun a") == "line 2: run nests more than 8 deep")
        #expect(failure("\nrun nothing") == "line 2: run nothing: ${nothing} is not set")
        #expect(failure("setexpr x 1 / 0") == "line 1: setexpr: division by zero")
    }

    @Test func unmodelledCommandsAreNoted() throws {
        let plan = try run("""
            load mmc 0:1 0x6800000 board.dtb
            load mmc 0:1 0x6600000 xen
            dhcp
            if test -e mmc 0:1 x; then echo y; fi
            booti 0x6600000 - 0x6800000
            """)
        #expect(plan.notes.contains("line 3: dhcp is not modelled (it may load or move memory the spec does not show)"))
        #expect(plan.notes.contains { $0.hasPrefix("line 4: shell control flow (if)") })
        #expect(plan.notes.contains { $0.hasPrefix("line 5: fdt_high is not all ones") })
    }
}
