import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search past observations, session summaries and learnings.",
        discussion: """
            Words are matched in full text (bm25 ranking; the last word also matches as a prefix) and, when an embedding model \
            is installed (`engram model install`), by meaning; the two rankings are fused by reciprocal rank. Then `engram show <id>`.
            """
    )

    @Argument(help: "What to look for.")
    var query: [String]

    @OptionGroup var project: ProjectOption

    @Flag(name: .long, help: "Search every project, not just this one.")
    var allProjects = false

    @Option(help: "Only this kind: observation | summary | learning.")
    var kind: [SearchService.Kind] = []

    @Option(help: "Only records newer than this: 30m, 2h, 7d, 2w or a date.")
    var since: String?

    @Option(help: "Most results to show.")
    var limit: Int?

    @Option(help: "hybrid | keyword | semantic (default: hybrid when an embedding model is installed, else keyword).")
    var mode: SearchMode?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if query.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("Give some words to search for.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        try await guarded {
            // Keyword mode never loads the model.
            let engine = try openEngine(loadModel: mode != .keyword)
            let engram = engine.engram
            let sinceDate = try since.map { try Timestamp.since($0, now: engram.clock.now()) }
            let q = SearchService.Query(
                text: query.joined(separator: " "), project: allProjects ? nil : project.root,
                kinds: Set(kind), since: sinceDate, limit: limit ?? engram.config.int("search.limit"),
                mode: mode)
            if !engine.canSearchByMeaning && mode != .keyword { Self.noticeKeywordOnly(engram, asked: mode) }
            let hits = try engine.search(q) { reason in Terminal.printErr("\(reason): keyword search only") }
            if output.json { try Terminal.printJSON(hits); return }
            if hits.isEmpty { print("No results for \"\(q.text)\"."); return }
            let now = engram.clock.now()
            for h in hits {
                print("\(Terminal.bold(h.id))  \(h.title)  \(Terminal.dim(Timestamp.relative(h.createdAt, now: now)))")
                let snippet = h.snippet.replacingOccurrences(of: "\n", with: " ")
                let shown =
                    Terminal.stdoutIsTTY
                    ? snippet.replacingOccurrences(of: "«", with: "\u{1B}[33m").replacingOccurrences(of: "»", with: "\u{1B}[0m")
                    : snippet
                if !shown.isEmpty { print("    " + shown) }
                if !h.files.isEmpty { print("    " + Terminal.dim(h.files.prefix(4).joined(separator: ", "))) }
            }
            print(Terminal.dim("\(hits.count) result\(hits.count == 1 ? "" : "s"). `engram show <id>` for the full record."))
        }
    }
}

extension SearchService.Kind: ExpressibleByArgument {}
extension SearchMode: ExpressibleByArgument {}

extension SearchCommand {
    static let noticeMarker = ".notice-keyword-only"

    /// Says once per data directory (a marker file) that search is keyword-only; every time if semantic was asked for.
    static func noticeKeywordOnly(_ engram: Engram, asked: SearchMode?) {
        let marker = engram.paths.home.appendingPathComponent(noticeMarker)
        let message: String
        switch EmbeddingModel.availability(engram) {
        case .notInstalled: message = "no embedding model installed: keyword search only; `engram model install` enables semantic search"
        case let other: message = (other.keywordOnlyReason ?? "the embeddings provider does not load (see logs)") + ": keyword search only"
        }
        if asked == nil && FileManager.default.fileExists(atPath: marker.path) { return }
        Terminal.printErr(message)
        FileManager.default.createFile(atPath: marker.path, contents: Data())
    }
}
