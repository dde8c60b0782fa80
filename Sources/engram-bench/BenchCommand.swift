import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

/// `engram-bench`: engram's hot paths measured beside a peer in the same run. Lab equipment, not the product: it
/// ships in no install, and measures the `engram` and `engram-hook` built beside it.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engram-bench",
        abstract: "Measure engram beside a peer in the same run (build with `swift build -c release` first).",
        discussion: """
            Run from the repository root (the peers' programs are under Scripts/): `swift build -c release && \
            .build/release/engram-bench hooks`. Figures and how they were taken: docs/performance.md.
            """,
        subcommands: [HooksBenchCommand.self, Code.self, Embed.self, Hybrid.self, HybridProbeCommand.self],
        defaultSubcommand: HooksBenchCommand.self
    )

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Python function map + calls beside CPython's ast.parse + walk over the same files.")

        @Argument(help: "A directory of Python sources (default: the standard library of python3).")
        var path: String?

        @Option(help: "Rounds; the best is kept.") var rounds = 3
        @Option(help: "Python interpreter for the peer.") var python = "python3"
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                let report = try CodeBench(path: path, python: python, rounds: rounds).run()
                if output.json { try Terminal.printJSON(report) } else { print(report.table) }
            }
        }
    }
}

extension BenchCommand {
    struct Embed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The embedding encoder beside sentence-transformers, vector index load and search at 10k/100k, resident memory.")

        @Option(help: "Model folder (default: the active installed model).") var modelDir: String?
        @Option(help: "Python interpreter for the peer.") var python = "python3"
        @Option(help: "The peer script.") var peerScript = "Scripts/embeddings/bench_peer.py"
        @Option(help: "Index sizes to measure.") var sizes: [Int] = [10_000, 100_000]
        @Option(help: "Queries per index size.") var queries = 100
        @OptionGroup var output: OutputOptions

        struct NoModel: LocalizedError {
            var errorDescription: String? { "No model to measure: pass --model-dir DIR or `engram model install` first." }
        }

        func run() async throws {
            try await guarded {
                let dir: URL
                if let modelDir {
                    dir = URL(fileURLWithPath: modelDir)
                } else {
                    guard case .installed(_, let d) = EmbeddingModel.availability(try openEngram()) else { throw NoModel() }
                    dir = d
                }
                let report = try EmbedBench(
                    modelDirectory: dir, python: python, peerScript: peerScript,
                    sizes: sizes.filter { $0 > 0 }, queries: max(1, queries)
                ).run()
                if output.json { try Terminal.printJSON(report) } else { print(report.table) }
            }
        }
    }
}

extension BenchCommand {
    struct Hybrid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hybrid search (bm25 + vectors + RRF) at 10k/100k records beside LanceDB's hybrid search, load time, resident memory.",
            discussion: """
                Seeds a temporary data dir per size with synthetic observations and their vectors, writes the same texts, \
                vectors and query vectors for the peer (Scripts/embeddings/hybrid_peer.py, `pip install lancedb`), then times \
                each side in a fresh process. With a model (--model-dir, or the installed one) the vectors are real embeddings \
                of each record shape plus jitter; otherwise seeded random vectors. Build with -c release first.
                """)

        @Option(help: "Observations to seed, one run per size.") var sizes: [Int] = [10_000, 100_000]
        @Option(help: "Model folder for the vectors (default: the active installed model; none: synthetic vectors).") var modelDir: String?
        @Flag(help: "Use seeded random vectors even when a model is installed.") var synthetic = false
        @Option(help: "Most distinct record shapes to embed with the model (0: all); other records borrow one of their vectors.") var embedLimit =
            6_000
        @Option(help: "Rounds over the query set.") var rounds = 5
        @Option(help: "Python interpreter for the peer.") var python = "python3"
        @Option(help: "The peer script.") var peerScript = "Scripts/embeddings/hybrid_peer.py"
        @Flag(help: "Keep the seeded data dirs (their paths are printed), to profile a side by hand.") var keep = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                var dir: URL?
                if let modelDir {
                    dir = URL(fileURLWithPath: modelDir)
                } else if !synthetic,
                    case .installed(_, let d) = EmbeddingModel.availability(try openEngram())
                {
                    dir = d
                }
                let report = try HybridBench(
                    sizes: sizes.filter { $0 > 0 }, modelDirectory: synthetic ? nil : dir, python: python,
                    peerScript: peerScript, rounds: max(1, rounds), embedLimit: max(0, embedLimit),
                    progress: !output.json, keep: keep
                ).run()
                if output.json { try Terminal.printJSON(report) } else { print(report.table) }
            }
        }
    }

    /// The engram side of `bench hybrid`, in its own process; prints one JSON line.
    struct HybridProbeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hybrid-probe", shouldDisplay: false)

        @Option var workload: String
        @Option var modelId: String

        func run() async throws {
            try await guarded {
                let result = try HybridProbe(workload: URL(fileURLWithPath: workload), modelID: modelId).run()
                print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
            }
        }
    }
}

/// `engram-bench hooks`, the default: the spine's budgets.
struct HooksBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Hooks as whole processes, keyword search and processing throughput, on a seeded data dir.",
        discussion: """
            Seeds a temporary data dir with realistic observations, then measures whole-process wall time of \
            `engram hook post-tool-use` beside a Python stdlib hook doing the same validated insert, `engram hook session-start`, \
            keyword search beside SQLite FTS5 driven from Python, and `engram process` throughput. Build with -c release first.
            """
    )

    @Option(help: "Observations to seed.")
    var records = 100_000

    @Option(help: "Process launches per hook measurement.")
    var runs = 200

    @Option(help: "Queue items for the processing throughput run.")
    var items = 10_000

    @Option(help: "Python interpreter for the peers (skipped if missing).")
    var python = "python3"

    @Option(help: "Folder of the peers' programs (peer_hook.py, peer_search.py).")
    var scripts = "Scripts/bench"

    @Flag(help: "Keep the seeded data dir (its path is printed), to profile a side by hand.")
    var keep = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await guarded {
            let report = try await HookBench(
                records: records, runs: runs, items: items, python: python, scripts: URL(fileURLWithPath: scripts), progress: !output.json,
                keep: keep
            ).run()
            if output.json { try Terminal.printJSON(report) } else { print(report.table) }
        }
    }
}
