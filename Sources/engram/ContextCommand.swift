import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Show the briefing the next session of a project would get."
    )

    @OptionGroup var project: ProjectOption

    @Option(help: "Token budget (default: context.budget, 2000).")
    var budget: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let budget, budget < 50 { throw ValidationError("--budget must be at least 50 tokens.") }
    }

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            let briefing = try engine.briefing(project: project.root, budget: budget)
            if output.json {
                try Terminal.printJSON(briefing)
            } else {
                print(briefing.text, terminator: "")
                let layers = briefing.layers.map { "\($0.name) \($0.tokens)/\($0.available)" }.joined(separator: ", ")
                if Terminal.stderrIsTTY { Terminal.printErr("\n[\(briefing.tokens) of \(briefing.budget) tokens: \(layers)]") }
            }
        }
    }
}
