// swift-tools-version:6.1
import PackageDescription

// engram: persistent, local-first memory for AI coding agents.
// Module map and rules: see DESIGN.md in the shared folder and README.md.
let package = Package(
    name: "engram",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "engram", targets: ["engram"]),
        .executable(name: "engram-hook", targets: ["engram-hook"]),
        .library(name: "EngramCore", targets: ["EngramCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // SQLite calls Swift cannot make itself (variadic C functions).
        .target(name: "CEngramSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        // engram's own value types, shared by every module without pulling in the core (Foundation only).
        .target(name: "EngramModel"),
        // The SQLite store: GRDB, the migrations, FTS5 and the C bm25, the checkpoint policy.
        .target(
            name: "EngramSQLite",
            dependencies: ["EngramModel", "CEngramSQLite", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "EngramCore",
            dependencies: [
                "EngramModel", "EngramSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "EngramCode",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
            ]
        ),
        // The encoder's kernels are optimized in every configuration: a debug build of a
        // BERT forward pass is ~50x slower, which would make the parity tests crawl.
        .target(name: "EngramEmbeddings", dependencies: ["EngramKernels", "EngramKernelsAVX2", "EngramKernelsAVX512", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: [.unsafeFlags(["-O"])]),
        // The encoder's dense kernels, generic and @inlinable; the baseline copy is compiled here.
        .target(name: "EngramKernels", swiftSettings: [.unsafeFlags(["-O"])]),
        // The same kernels specialised with AVX2 + FMA code generation on x86-64 Linux (elsewhere plain, never selected).
        // EngramEmbeddings calls them only after checking the CPU, so one binary still runs on older x86-64 CPUs.
        .target(name: "EngramKernelsAVX2", dependencies: ["EngramKernels"], swiftSettings: [.unsafeFlags(["-O"]), .unsafeFlags({
            #if arch(x86_64)
            return ["-Xcc", "-mavx2", "-Xcc", "-mfma", "-DENGRAM_AVX2"]
            #else
            return []
            #endif
        }(), .when(platforms: [.linux]))]),
        // The same with AVX-512 (F, BW, DQ, VL) + FMA on x86-64 Linux, with its own 12 × 32 GEMM micro-kernel.
        .target(name: "EngramKernelsAVX512", dependencies: ["EngramKernels"], swiftSettings: [.unsafeFlags(["-O"]), .unsafeFlags({
            #if arch(x86_64)
            return ["-Xcc", "-mavx512f", "-Xcc", "-mavx512bw", "-Xcc", "-mavx512dq", "-Xcc", "-mavx512vl",
                    "-Xcc", "-mavx2", "-Xcc", "-mfma", "-DENGRAM_AVX512"]
            #else
            return []
            #endif
        }(), .when(platforms: [.linux]))]),
        .target(name: "EngramAI", dependencies: ["EngramModel"]),
        // The demo's bundled session and the synthetic corpus the benchmarks and tests seed stores with.
        .target(name: "EngramDemo", dependencies: ["EngramCore", "EngramSQLite"]),
        // What the command-line executables share: output options, terminal helpers, the one-line error contract.
        .target(
            name: "EngramCommandLine",
            dependencies: ["EngramCore", "EngramSQLite", "EngramRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The sandbox's process side (clone into namespaces, mounts, rlimits, seccomp): code between fork and exec.
        .target(name: "CEngramSandbox"),
        .target(name: "EngramSandbox", dependencies: ["CEngramSandbox"]),
        .target(name: "EngramFunctions", dependencies: ["EngramCore", "EngramCode", "EngramSandbox"]),
        .target(
            name: "EngramRuntime",
            dependencies: [
                "EngramCore", "EngramSQLite", "EngramCode", "EngramEmbeddings", "EngramAI",
            ]
        ),
        .target(
            name: "EngramWorker",
            dependencies: ["EngramCore", "EngramRuntime", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .target(
            name: "EngramMCP",
            dependencies: [
                "EngramCore", "EngramCode", "EngramRuntime", "EngramFunctions", "EngramSandbox",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "engram",
            dependencies: [
                "EngramCore", "EngramCode", "EngramEmbeddings", "EngramAI", "EngramRuntime", "EngramWorker", "EngramMCP",
                "EngramDemo", "EngramCommandLine", "EngramSQLite",
                "EngramSandbox", "EngramFunctions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The hooks alone, linking only the core: a hook process is started on every tool call, and the full
        // CLI's start-up (swift-syntax, NIO, the MCP SDK: ~115 MB to map and relocate) costs more than the hook's work.
        // On Linux it is a fully static executable (Swift runtime, Foundation, libstdc++, SQLite and glibc): a
        // PIE linked against the shared C libraries spent half its start-up in the dynamic loader, applying 82k
        // relocations and resolving libstdc++'s symbols (hook p50 ~13 ms → ~9 ms). Needs libsqlite3.a (libsqlite3-dev).
        .executableTarget(
            name: "engram-hook",
            dependencies: ["EngramCore"],
            swiftSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux]))],
            linkerSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux]))]
        ),
        // Lab equipment, outside the shipped product: engram's hot paths beside their peers (docs/performance.md).
        .executableTarget(
            name: "engram-bench",
            dependencies: [
                "EngramCore", "EngramCode", "EngramEmbeddings", "EngramRuntime", "EngramDemo", "EngramCommandLine", "EngramSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EngramModelTests", dependencies: ["EngramModel"]),
        // What every store protocol promises, run against each backend (Tests/EngramStoreTests/Backend.swift).
        .testTarget(name: "EngramStoreTests", dependencies: ["EngramModel", "EngramSQLite"]),
        .testTarget(name: "EngramCoreTests", dependencies: ["EngramCore", "EngramSQLite", "EngramDemo"]),
        // Sandbox start-up beside bare python3 and a plain rlimits subprocess; measurement only, never shipped.
        .executableTarget(name: "engram-sandbox-bench", dependencies: ["EngramSandbox"], path: "Benchmarks/SandboxBench"),
        .testTarget(name: "EngramCodeTests", dependencies: ["EngramCode"]),
        .testTarget(name: "EngramEmbeddingsTests", dependencies: ["EngramEmbeddings", "EngramTestSupport"]),
        .testTarget(name: "EngramAITests", dependencies: ["EngramAI", "EngramModel", "EngramTestSupport"]),
        .testTarget(name: "EngramSandboxTests", dependencies: ["EngramSandbox"]),
        .testTarget(name: "EngramFunctionsTests", dependencies: ["EngramFunctions", "EngramCore", "EngramSQLite", "EngramCode", "EngramSandbox"]),
        // engram-hook is built with every test run but not a dependency: its static link flags would reach the test bundle.
        .testTarget(name: "EngramCLITests", dependencies: ["EngramCore", "EngramSQLite", "engram", "EngramTestSupport"]),
        .testTarget(name: "EngramBenchTests", dependencies: ["engram-bench", "engram", "EngramEmbeddings", "EngramTestSupport"]),
        // Helpers shared by test targets (the engram process runner, fake LLM and embedding servers, a tiny random BERT),
        // never linked into the product.
        .target(name: "EngramTestSupport", dependencies: ["EngramEmbeddings", "EngramModel"], path: "Tests/EngramTestSupport"),
        .testTarget(name: "EngramRuntimeTests", dependencies: ["EngramRuntime", "EngramCore", "EngramSQLite", "EngramCode", "EngramAI", "EngramTestSupport"]),
        // The throwaway PostgreSQL + pgvector cluster (EngramTestSupport.PostgresServer) and, later, the PostgreSQL store.
        .testTarget(name: "EngramPostgresTests", dependencies: ["EngramTestSupport"]),
        .testTarget(name: "EngramWorkerTests", dependencies: ["EngramCore", "EngramRuntime", "EngramWorker", "engram", "EngramTestSupport"]),
        .testTarget(
            name: "EngramMCPTests",
            dependencies: ["EngramCore", "EngramSQLite", "EngramMCP", "engram", "EngramTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "MCP", package: "swift-sdk")]
        ),
    ]
)
