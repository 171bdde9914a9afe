import Foundation

/// Builds the bare-metal image (`Tests/mmu-oracle/build.sh`) and runs it under QEMU.
enum OracleImage {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let outputDirectory = repositoryRoot.appendingPathComponent(".build/mmu-oracle")
    /// Where QEMU is looked for: `P2M_ORACLE_QEMU_DIR` if set, else PATH.
    static let qemuDirectory = ProcessInfo.processInfo.environment["P2M_ORACLE_QEMU_DIR"]

    enum Failure: Error, CustomStringConvertible {
        case buildFailed(status: Int32, log: String)
        case timedOut(seconds: Double, output: String)
        case qemuMissing(String)

        var description: String {
            switch self {
            case .buildFailed(let status, let log): return "Tests/mmu-oracle/build.sh failed (exit \(status)):\n\(log)"
            case .timedOut(let seconds, let output): return "QEMU did not finish within \(Int(seconds)) s; console so far:\n\(output)"
            case .qemuMissing(let name): return "\(name) not found"
            }
        }
    }

    static func qemu(for target: OracleTarget) -> URL? {
        executable(named: qemuDirectory.map { $0 + "/" + target.qemu } ?? target.qemu)
    }

    /// Why the oracle cannot run here (QEMU or the Embedded Swift toolchain is missing), or nil.
    static func unavailableReason(for targets: [OracleTarget]) -> String? {
        for target in targets {
            guard qemu(for: target) != nil else {
                return "\(target.qemu) not found (Debian: apt-get install qemu-system-arm); the MMU oracle did not run"
            }
        }
        guard let swiftc = executable(named: "swiftc") else { return "swiftc not found in PATH; the MMU oracle image cannot be built" }
        let bin = swiftc.resolvingSymlinksInPath().deletingLastPathComponent()
        for tool in ["clang", "ld.lld"] + targets.map({ "../lib/swift/embedded/\($0.embeddedTriple)/libswiftUnicodeDataTables.a" }) {
            if !FileManager.default.fileExists(atPath: bin.appendingPathComponent(tool).path) {
                return "the Swift toolchain has no \(tool) for Embedded Swift; the MMU oracle image cannot be built"
            }
        }
        return nil
    }

    static func executable(named name: String) -> URL? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Builds the image for `target` (the script itself skips an up-to-date image).
    static func build(_ target: OracleTarget) -> Result<URL, Failure> {
        let log = outputDirectory.appendingPathComponent("build-\(target.name).log")
        try? FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let script = repositoryRoot.appendingPathComponent("Tests/mmu-oracle/build.sh").path
        let status = (try? runProcess(URL(fileURLWithPath: "/bin/bash"), [script, outputDirectory.path, target.name], output: log, timeout: 900)) ?? -1
        guard status == 0 else {
            return .failure(.buildFailed(status: status, log: (try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
        return .success(outputDirectory.appendingPathComponent("oracle-\(target.name).elf"))
    }

    /// Builds the image for `target` and runs it with `plan` loaded at the plan address; returns the console text.
    /// - Throws: `Failure` when the build fails or QEMU outlives `timeout`.
    static func run(_ target: OracleTarget, plan: ProbePlan, timeout: Double = 180) throws -> String {
        let image = try build(target).get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let planFile = dir.appendingPathComponent("plan.bin")
        var bytes = Data()
        for word in plan.words { withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) } }
        try bytes.write(to: planFile)
        let console = dir.appendingPathComponent("console.txt")
        let arguments = [
            "-M", "virt,virtualization=on", "-cpu", target.cpu, "-m", "2G", "-nographic", "-monitor", "none",
            "-kernel", image.path,
            "-device", "loader,file=\(planFile.path),addr=\(String(OracleBoard.planBase, radix: 16, uppercase: false).withHexPrefix),force-raw=on",
        ]
        guard let qemu = qemu(for: target) else { throw Failure.qemuMissing(target.qemu) }
        let status = try runProcess(qemu, arguments, output: console, timeout: timeout)
        let text = (try? String(contentsOf: console, encoding: .utf8)) ?? ""
        if status == -1 { throw Failure.timedOut(seconds: timeout, output: text) }
        return text
    }

    /// Runs a process with stdout and stderr into `output`; returns its exit status, or -1 if it was killed after `timeout`.
    static func runProcess(_ executable: URL, _ arguments: [String], output: URL, timeout: Double) throws -> Int32 {
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            done.wait()
            return -1
        }
        return process.terminationStatus
    }
}

private extension String {
    var withHexPrefix: String { "0x" + self }
}
