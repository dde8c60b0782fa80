import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

/// `engram reindex`: embeds every record that has no vector from the active model.
struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Backfill embeddings for semantic search (new records, or all after a model change).",
        discussion:
            "Needs an installed embedding model (`engram model install`) or an openai-compatible embeddings.provider. Records already embedded by the active model are skipped."
    )

    @Option(help: "Only this kind: observation | summary | learning.")
    var kind: [SearchService.Kind] = []

    @Flag(help: "Re-embed everything, including records already done or failed.")
    var force = false

    @OptionGroup var output: OutputOptions

    struct NoModel: LocalizedError {
        let message: String
        var errorDescription: String? { message }
    }

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            let engram = engine.engram
            guard let encoder = EmbeddingModel.loadEncoder(engram) else {
                switch EmbeddingModel.availability(engram) {
                case .disabled: throw NoModel(message: "Embeddings are off (embeddings.provider = none); set it to local to reindex.")
                case .notInstalled(let name):
                    throw NoModel(
                        message: "The embedding model \(name) is not installed; run `engram model install` (or `engram model import DIR`) first.")
                case .installed(let name, _):
                    throw NoModel(
                        message:
                            "The embedding model \(name) does not load (see logs/engram.log); reinstall it with `engram model remove \(name)` then `engram model install`."
                    )
                case .misconfigured(let why): throw NoModel(message: "Embeddings are misconfigured: \(why).")
                case .remote(let model, let url):
                    throw NoModel(message: "The embeddings provider \(model) at \(url.absoluteString) cannot be used (see logs/engram.log).")
                }
            }
            var bar = ProgressBar(label: "Embedding", enabled: Terminal.stderrIsTTY && !output.json)
            let report = try engine.reindex(encoder: encoder, kinds: Set(kind), force: force) { done, total in
                bar.update(done, total)
            }
            bar.finish()
            if output.json { try Terminal.printJSON(report); return }
            var line = "Embedded \(report.embedded) record\(report.embedded == 1 ? "" : "s") with \(report.model)"
            if report.failed > 0 { line += "; \(report.failed) failed (retry with --force)" }
            print(line + ".")
        }
    }
}
