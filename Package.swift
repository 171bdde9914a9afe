// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "p2m-check",
    products: [
        .executable(name: "p2m-check", targets: ["p2m-check"]),
        // Libraries that other packages link: the fuzz package under fuzz/ uses these.
        .library(name: "SpecFormat", targets: ["SpecFormat"]),
        .library(name: "Hypervisor", targets: ["Hypervisor"]),
        .library(name: "Invariants", targets: ["Invariants"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // Pure model: addresses, ranges, descriptors, the board data model. Stdlib only.
        .target(name: "P2MModel"),
        // The hypervisor's p2m code: stage-2 tables, pool, domain builder. Stdlib only.
        .target(name: "Hypervisor", dependencies: ["P2MModel"]),
        // The spec format: a strict JSON parser with paths and positions, and the
        // p2m-check/v1 decoder. A library so that fuzzers and tools link it.
        .target(name: "SpecFormat", dependencies: ["P2MModel"]),
        // libz3 from Debian's libz3-dev.
        .systemLibrary(name: "CZ3", pkgConfig: "z3", providers: [.apt(["libz3-dev"])]),
        // Safe Swift layer over Z3 and the invariant catalogue.
        .target(name: "Invariants", dependencies: ["P2MModel", "Hypervisor", "CZ3"]),
        .executableTarget(
            name: "p2m-check",
            dependencies: [
                "P2MModel", "Hypervisor", "Invariants", "SpecFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "P2MModelTests", dependencies: ["P2MModel"]),
        .testTarget(name: "HypervisorTests", dependencies: ["Hypervisor", "P2MModel"]),
        .testTarget(name: "SpecFormatTests", dependencies: ["SpecFormat", "P2MModel"]),
        .testTarget(name: "InvariantsTests", dependencies: ["Invariants", "Hypervisor", "P2MModel", "CZ3"]),
        .testTarget(
            name: "p2m-checkTests",
            dependencies: ["p2m-check", "Invariants", "Hypervisor", "P2MModel"],
            resources: []
        ),
    ]
)
