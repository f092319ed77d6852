// swift-tools-version: 6.1
import PackageDescription

// Dependency direction (arrows point at what is depended on):
//   rehearse -> Serve -> Harness -> ScenarioKit, StackSimulation, RunStore, Reporting
//   Serve (Hummingbird) is the only target with HTTP; StackSimulation's LiveStack is its engine.
//   StackSimulation -> PlatformFakes, Population -> MarTechModel -> SimKernel
//   ScenarioKit -> PlatformFakes (each kind's and vendor's defaults live with the platform)
// SimKernel imports nothing but CMemoryHints (a C header of prefetch and huge-page hints; not even Foundation). Only ScenarioKit imports Yams,
// only RunStore touches SQLite, only the CLI imports ArgumentParser.
let package = Package(
    name: "Rehearsal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rehearse", targets: ["rehearse"])
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
        // Serve mode's HTTP surface only (never the simulation targets); traits off: no swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Webhook signatures the fakes send (Twilio's HMAC-SHA1, HubSpot's v3 HMAC-SHA256).
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CMemoryHints"),
        .target(name: "SimKernel", dependencies: ["CMemoryHints"]),
        .target(name: "MarTechModel", dependencies: ["SimKernel"]),
        .target(name: "Population", dependencies: ["MarTechModel", "SimKernel"]),
        .target(name: "PlatformFakes", dependencies: ["MarTechModel", "SimKernel"]),
        .target(
            name: "StackSimulation",
            dependencies: [
                "PlatformFakes", "Population", "MarTechModel", "SimKernel",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(name: "ScenarioKit", dependencies: ["MarTechModel", "PlatformFakes", "SimKernel", "Yams"]),
        .target(name: "RunStore", dependencies: ["CSQLite", "MarTechModel"]),
        .target(name: "Reporting", dependencies: ["MarTechModel", "SimKernel"]),
        .target(
            name: "Harness",
            dependencies: ["ScenarioKit", "StackSimulation", "RunStore", "Reporting", "MarTechModel", "SimKernel"]
        ),
        // Serve mode: the fakes behind their vendors' HTTP APIs, over the same world the engine runs.
        .target(
            name: "Serve",
            dependencies: [
                "Harness", "RunStore", "Reporting", "StackSimulation", "ScenarioKit", "PlatformFakes", "MarTechModel",
                "SimKernel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "rehearse",
            dependencies: [
                "Harness", "Reporting", "ScenarioKit", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks (`make bench`): engine alone, SQLite write path against the raw C API, full runs.
        .executableTarget(
            name: "rehearse-bench",
            dependencies: [
                "Harness", "RunStore", "CSQLite", "StackSimulation", "ScenarioKit", "MarTechModel", "Reporting",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // What the test targets share: repository root, temporary folders, a collecting sink.
        .target(name: "TestKit", dependencies: ["MarTechModel"], path: "Tests/TestKit"),
        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
        .testTarget(name: "PlatformFakesTests", dependencies: ["PlatformFakes", "MarTechModel", "SimKernel"]),
        .testTarget(name: "PopulationTests", dependencies: ["Population", "MarTechModel", "SimKernel"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "MarTechModel", "SimKernel"]),
        .testTarget(name: "ScenarioKitTests", dependencies: ["ScenarioKit", "MarTechModel", "SimKernel"]),
        .testTarget(
            name: "StackSimulationTests",
            dependencies: ["StackSimulation", "ScenarioKit", "Reporting", "MarTechModel", "SimKernel", "TestKit"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore", "CSQLite", "MarTechModel", "TestKit"]),
        .testTarget(
            name: "HarnessTests",
            dependencies: [
                "Harness", "CSQLite", "MarTechModel", "Reporting", "RunStore", "ScenarioKit", "StackSimulation",
                "TestKit",
            ]
        ),
        .testTarget(name: "CLITests", dependencies: ["rehearse", "TestKit"]),
        .testTarget(
            name: "ServeTests",
            dependencies: ["Serve", "Harness", "RunStore", "ScenarioKit", "StackSimulation", "MarTechModel", "SimKernel", "TestKit"]),
    ]
)
