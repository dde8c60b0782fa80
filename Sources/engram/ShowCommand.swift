import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print full records: observations (#42 or 42), sessions (session:ID) and learnings (L7)."
    )

    @Argument(help: "Record ids as search prints them.")
    var ids: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if ids.isEmpty { throw ValidationError("Give at least one id, like #42, session:abc123 or L7.") }
    }

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            let records = try engine.records(ids)
            let missing = records.filter { $0.kind == "missing" }
            if output.json {
                try Terminal.printJSON(records)
            } else {
                let now = engine.clock.now()
                for (i, r) in records.filter({ $0.kind != "missing" }).enumerated() {
                    if i > 0 { print("") }
                    print(r.render(now: now))
                }
            }
            // What was not found is an error: said on stderr, exit 1, whatever was found still printed.
            if !missing.isEmpty {
                Terminal.printErr(
                    "engram: no record \(missing.map(\.id).joined(separator: ", ")); ids look like #42, session:ID or L7 (as `engram search` prints them)."
                )
                throw ExitCode.failure
            }
        }
    }
}
