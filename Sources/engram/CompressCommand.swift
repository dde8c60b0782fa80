import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct CompressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress",
        abstract: "Catch up the queue by hand: compress pending items, and upgrade raw ones with the LLM when it is configured.",
        discussion: "Raw items were stored with the heuristic while the LLM was unreachable; with a reachable LLM they are rewritten in place."
    )

    @Flag(help: "Process every pending and raw item (required; the only mode for now).")
    var pending = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard pending else { throw ValidationError("say what to compress: `engram compress --pending`") }
    }

    func run() async throws {
        try await guarded {
            let (engram, llm) = try EngramRuntime.openForWorker()
            let engine = EngramRuntime.engine(engram, encoder: EngramRuntime.encoder(engram), llm: llm)
            let counts = try await engine.queueCounts().byStatus
            let total = (counts[.pending] ?? 0) + (llm == nil ? 0 : counts[.raw] ?? 0)
            let showProgress = !output.json && Terminal.stderrIsTTY
            let start = Date()
            var stats = QueueProcessor.Stats()
            while true {
                let s = try await engine.process(limit: llm == nil ? 500 : 8)
                if s.total == 0 { break }
                stats.processed += s.processed; stats.failed += s.failed; stats.retried += s.retried
                stats.skipped += s.skipped; stats.deferred += s.deferred; stats.upgraded += s.upgraded
                if showProgress {
                    FileHandle.standardError.write(Data("\r\u{1B}[2Kcompressing… \(stats.total)/\(total)".utf8))
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            let seconds = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
            let compressor = llm?.label ?? "heuristic"
            if output.json {
                struct Out: Encodable {
                    var processed, upgraded, deferred, failed, retried, skipped: Int; var compressor: String; var seconds: Double
                }
                try Terminal.printJSON(
                    Out(
                        processed: stats.processed, upgraded: stats.upgraded, deferred: stats.deferred, failed: stats.failed,
                        retried: stats.retried, skipped: stats.skipped, compressor: compressor, seconds: seconds))
            } else {
                var line = "Compressed \(stats.processed) item\(stats.processed == 1 ? "" : "s") with \(compressor)"
                if stats.upgraded > 0 { line += ", upgraded \(stats.upgraded) raw" }
                if stats.deferred > 0 { line += ", \(stats.deferred) kept raw (LLM unreachable)" }
                if stats.retried > 0 { line += ", \(stats.retried) to retry" }
                if stats.failed > 0 { line += ", \(stats.failed) failed" }
                print(line + String(format: " in %.2fs.", seconds))
            }
        }
    }
}
