import ArgumentParser
import EngramCore
import Foundation

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search past observations, session summaries and learnings.",
        discussion: "Words are matched in full text (bm25 ranking); the last word also matches as a prefix. Then `engram show <id>`."
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

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if query.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("Give some words to search for.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        try await guarded {
            let engram = try openEngram()
            let sinceDate = try since.map { try Timestamp.since($0, now: engram.clock.now()) }
            let q = SearchService.Query(text: query.joined(separator: " "), project: allProjects ? nil : project.root,
                                        kinds: Set(kind), since: sinceDate, limit: limit ?? engram.config.int("search.limit"))
            let hits = try SearchService(engram).search(q)
            if output.json { try Terminal.printJSON(hits); return }
            if hits.isEmpty { print("No results for \"\(q.text)\"."); return }
            let now = engram.clock.now()
            for h in hits {
                print("\(Terminal.bold(h.id))  \(h.title)  \(Terminal.dim(Timestamp.relative(h.createdAt, now: now)))")
                let snippet = h.snippet.replacingOccurrences(of: "\n", with: " ")
                let shown = Terminal.stdoutIsTTY
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
