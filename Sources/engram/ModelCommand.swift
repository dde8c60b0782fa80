import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramEmbeddings
import EngramRuntime
import Foundation

/// `engram model install | import | list | remove`: the local embedding models under $ENGRAM_HOME/models.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install, import, list and remove local embedding models (semantic search).",
        discussion:
            "The active model is the setting embeddings.model (default all-MiniLM-L6-v2). After installing, `engram reindex` embeds existing memory.",
        subcommands: [Install.self, Import.self, List.self, Remove.self]
    )

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a model from the Hugging Face hub (sha256-verified).")

        @Argument(help: "A catalog model: \(ModelSpec.catalog.map(\.name).joined(separator: ", ")).")
        var name: String = ModelSpec.defaultModel.name

        @Option(help: "Hub base URL.")
        var hub: String = "https://huggingface.co"

        func run() async throws {
            try await guarded {
                guard let url = URL(string: hub), url.scheme != nil else {
                    throw ValidationError("--hub must be a URL, like https://huggingface.co.")
                }
                let engram = try openEngram()
                let model = try await EmbeddingModel.store(engram).install(name: name, from: url)
                print("Installed \(model.name) (\(model.files.count) files, \(ModelCommand.size(model))).")
                try ModelCommand.activate(engram, name: model.name)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a sentence-transformers BERT model folder (config.json, model.safetensors, vocab.txt …) into the store.")

        @Argument(help: "The model folder.")
        var directory: String

        @Option(help: "Name to install it under (default: the catalog model the files are, e.g. all-MiniLM-L6-v2, else the folder name).")
        var name: String?

        func run() async throws {
            try await guarded {
                let engram = try openEngram()
                let source = URL(fileURLWithPath: directory)
                let model = try EmbeddingModel.store(engram).importModel(from: source, name: name)
                print("Imported \(model.name) (\(model.files.count) files, \(ModelCommand.size(model))).")
                try ModelCommand.activate(engram, name: model.name)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Installed models; the active one is marked.")

        @OptionGroup var output: OutputOptions

        struct Entry: Encodable {
            let name: String
            let source: String
            let files: Int
            let bytes: Int
            let installedAt: Date
            let active: Bool
        }

        func run() async throws {
            try await guarded {
                let engram = try openEngram()
                let active = engram.config.string("embeddings.model")
                let entries = try EmbeddingModel.store(engram).list().map {
                    Entry(
                        name: $0.name, source: $0.source, files: $0.files.count, bytes: $0.files.reduce(0) { $0 + $1.size },
                        installedAt: $0.installedAt, active: $0.name == active)
                }
                if output.json { try Terminal.printJSON(entries); return }
                if entries.isEmpty {
                    print(
                        "No embedding model installed: search is keyword only. `engram model install` (\(ModelSpec.defaultModel.name)) enables semantic search."
                    )
                    return
                }
                for e in entries {
                    let size = ByteCountFormatter.string(fromByteCount: Int64(e.bytes), countStyle: .file)
                    print("\(e.active ? "*" : " ") \(Terminal.bold(e.name))  \(size)  \(Terminal.dim(e.source))")
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an installed model (its vectors stay until a reindex with another model).")

        @Argument(help: "The model's name.")
        var name: String

        func run() async throws {
            try await guarded {
                let engram = try openEngram()
                try EmbeddingModel.store(engram).remove(name: name)
                print("Removed \(name).")
            }
        }
    }

    static func size(_ model: ModelStore.InstalledModel) -> String {
        ByteCountFormatter.string(fromByteCount: Int64(model.files.reduce(0) { $0 + $1.size }), countStyle: .file)
    }

    /// After an install or import, semantic search works with no further step: the model becomes the active one
    /// when the configured one is not installed (written to config.toml), and the memory already stored is embedded.
    static func activate(_ engram: Engram, name: String) throws {
        var engram = engram
        guard engram.config.string("embeddings.provider").lowercased() == "local" else {
            print(
                "embeddings.provider is \(engram.config.string("embeddings.provider")): set it to local (`engram config set embeddings.provider local`) to use this model."
            )
            return
        }
        let active = engram.config.string("embeddings.model")
        let installed = try EmbeddingModel.store(engram).list().map(\.name)
        if active != name {
            guard !installed.contains(active) else {
                print("The active model is still \(active); switch with `engram config set embeddings.model \(name)`, then `engram reindex`.")
                return
            }
            let file = try ConfigFileEditor(paths: engram.paths).set("embeddings.model", name)
            print("It is now the active model (embeddings.model = \(name) in \(file.path)).")
            engram = try openEngram()
        } else {
            print("It is the active model.")
        }
        if engram.config.string("embeddings.model") != name {
            print("ENGRAM_EMBEDDINGS_MODEL overrides it in this environment; unset it to use \(name).")
            return
        }
        guard let encoder = EmbeddingModel.loadEncoder(engram) else {
            print("Run `engram reindex` to embed the memory already stored.")
            return
        }
        var bar = ProgressBar(label: "Embedding", enabled: Terminal.stderrIsTTY)
        let report = try EngramRuntime.engine(engram, encoder: nil).reindex(encoder: encoder) { done, total in bar.update(done, total) }
        bar.finish()
        print("Embedded \(report.embedded) stored record\(report.embedded == 1 ? "" : "s"): semantic search is on.")
        if FileManager.default.fileExists(atPath: engram.paths.workerSocket.path) {
            print("Restart the worker (`engram worker stop`; hooks start it again) so it embeds new records as they come.")
        }
    }
}
