// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "p2m-check",
    products: [
        .executable(name: "p2m-check", targets: ["p2m-check"]),
        .executable(name: "p2m-bench", targets: ["p2m-bench"]),
        // Libraries that other packages link: the fuzz package under fuzz/ uses these.
        .library(name: "SpecFormat", targets: ["SpecFormat"]),
        .library(name: "Hypervisor", targets: ["Hypervisor"]),
        .library(name: "Invariants", targets: ["Invariants"]),
        .library(name: "Z3", targets: ["Z3"]),
        .library(name: "Stage2Decoder", targets: ["Stage2Decoder"]),
        .library(name: "DeviceTree", targets: ["DeviceTree"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Test only: seeded property-based testing (the Z3-vs-oracle differential test).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Pure model: addresses, ranges, descriptors, the board data model. Stdlib only.
        .target(name: "P2MModel"),
        // The hypervisor's p2m code: stage-2 tables, pool, domain builder. Stdlib only.
        .target(name: "Hypervisor", dependencies: ["P2MModel"]),
        // The spec format: a strict JSON parser with paths and positions, and the
        // p2m-check/v1 decoder. A library so that fuzzers and tools link it.
        .target(name: "SpecFormat", dependencies: ["P2MModel"]),
        // Flattened device tree (.dtb) parser and board extraction for `import-dtb`. Stdlib only.
        .target(name: "DeviceTree"),
        // Boot file headers (arm64 Image, zImage, uImage, Xen's own, DTB): what a
        // loaded image occupies in memory, .bss included. Stdlib only.
        .target(name: "BootFiles"),
        // libz3 from Debian's libz3-dev.
        .systemLibrary(name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"])]),
        // The typed Swift layer over Z3 (contexts, bit-vectors, formulas, solvers), nothing else.
        .target(name: "Z3", dependencies: ["CZ3"]),
        // The MMU's reading of stage-2 tables from machine memory: architectural
        // descriptor format only, nothing of the builder.
        .target(name: "Stage2Decoder", dependencies: ["P2MModel"]),
        // The invariant catalogue: decodes the tables itself and proves the properties with Z3.
        .target(name: "Invariants", dependencies: ["P2MModel", "Hypervisor", "Stage2Decoder", "Z3"]),
        .executableTarget(
            name: "p2m-check",
            dependencies: [
                "P2MModel", "Hypervisor", "Invariants", "SpecFormat", "DeviceTree", "Z3", "Stage2Decoder", "BootFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Seeded benchmark layouts (written by the hypervisor's own p2m code).
        .target(name: "BenchLayouts", dependencies: ["P2MModel", "Hypervisor"]),
        // The benchmark: seeded layouts of 10^3..10^6 leaves and regions, the full
        // check against the pairwise Z3 encoding and a Swift sort-and-sweep.
        // `swift run -c release p2m-bench` (docs/performance.md).
        .executableTarget(
            name: "p2m-bench",
            dependencies: [
                "P2MModel", "Hypervisor", "Invariants", "BenchLayouts", "CZ3", "Z3", "Stage2Decoder",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "P2MModelTests", dependencies: ["P2MModel"]),
        .testTarget(name: "HypervisorTests", dependencies: ["Hypervisor", "P2MModel"]),
        .testTarget(name: "SpecFormatTests", dependencies: ["SpecFormat", "P2MModel"]),
        .testTarget(name: "DeviceTreeTests", dependencies: ["DeviceTree"], exclude: ["Fixtures"]),
        .testTarget(name: "BootFilesTests", dependencies: ["BootFiles"]),
        .testTarget(
            name: "InvariantsTests",
            dependencies: [
                "Invariants", "Hypervisor", "P2MModel", "SpecFormat", "BenchLayouts", "CZ3", "Z3", "Stage2Decoder",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The MMU oracle: the host side of a bare-metal image (Tests/mmu-oracle/Image,
        // built by Tests/mmu-oracle/build.sh, not by SwiftPM) that runs Hypervisor at EL2 under QEMU.
        .testTarget(
            name: "MMUOracleTests",
            dependencies: ["Invariants", "Hypervisor", "P2MModel", "Stage2Decoder"],
            path: "Tests/mmu-oracle",
            exclude: ["Image", "build.sh", "README.md"],
            sources: ["Host", "Shared"]
        ),
        .testTarget(
            name: "p2m-checkTests",
            dependencies: ["p2m-check", "Invariants", "Hypervisor", "P2MModel", "SpecFormat", "DeviceTree", "Z3", "Stage2Decoder", "BootFiles"],
            resources: []
        ),
    ]
)
