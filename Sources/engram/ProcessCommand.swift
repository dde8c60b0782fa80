import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Turn captured tool events in the queue into observations (heuristic compression, no network)."
    )

    @Option(help: "Process only this session's items.")
    var session: String?

    @Option(help: "Process at most this many items.")
    var limit: Int?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            // Hooks that could not reach the store kept their items; they are stored first.
            HookRunner(env: ProcessInfo.processInfo.environment).ingestSpilled(engine)
            let start = Date()
            let stats = try await engine.process(sessionID: session, limit: limit)
            let seconds = Date().timeIntervalSince(start)
            if output.json {
                struct Out: Encodable { var processed, failed, retried, skipped: Int; var seconds: Double }
                try Terminal.printJSON(
                    Out(
                        processed: stats.processed, failed: stats.failed, retried: stats.retried,
                        skipped: stats.skipped, seconds: (seconds * 1000).rounded() / 1000))
            } else {
                var line = "Processed \(stats.processed) item\(stats.processed == 1 ? "" : "s")"
                if stats.retried > 0 { line += ", \(stats.retried) to retry" }
                if stats.failed > 0 { line += ", \(stats.failed) failed" }
                print(line + String(format: " in %.2fs.", seconds))
            }
        }
    }
}
