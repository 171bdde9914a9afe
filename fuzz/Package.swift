// swift-tools-version:6.0
// Fuzz targets for p2m-check, a separate package so that the plain
// `swift build` / `swift test` of the main package never sees them: a fuzz
// target has no `main` (libFuzzer supplies it), so it only links when built
// with `-sanitize=fuzzer`. Build and run them with `fuzz/run.sh` (docs/fuzzing.md).
//
// Adding a target: one line below, naming the target and the library products
// of the main package it exercises, and one file `Targets/<Target>/main.swift`
// that calls `runFuzzer { bytes in ... }`. Seeds go in `corpus/<Target>/`.
import PackageDescription

let fuzzTargets: [(name: String, libraries: [String])] = [
    (name: "SpecDecoderFuzzer", libraries: ["SpecFormat"]),
    (name: "SystemBuilderFuzzer", libraries: ["SpecFormat", "Hypervisor", "Invariants"]),
    (name: "DeviceTreeFuzzer", libraries: ["DeviceTree"]),
]

let package = Package(
    name: "p2m-check-fuzz",
    dependencies: [.package(name: "p2m-check", path: "..")],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CLibFuzzer", path: "Support/CLibFuzzer"),
        // `runFuzzer { bytes in ... }`: the loop every target runs.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Support/FuzzSupport"),
    ] + fuzzTargets.map { target in
        .executableTarget(
            name: target.name,
            dependencies: ["FuzzSupport"] + target.libraries.map { .product(name: $0, package: "p2m-check") },
            path: "Targets/\(target.name)"
        )
    }
)
