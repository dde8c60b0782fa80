import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete an observation (#42), a session (session:ID), a memory (M7), or everything of a project.",
        discussion: """
            Deletes from every table and index in one transaction: observations, sessions, prompts, queue items, function maps,
            call graphs, event rows, the full-text index and any vectors. `--project DIR --all --yes` forgets a whole project,
            learnings and saved memories included.
            """
    )

    @Argument(help: "What to forget: #42, session:ID or M7.") var target: String?
    @Option(name: .long, help: "With --all: the project directory to forget.") var project: String?
    @Flag(name: .long, help: "Forget everything of --project.") var all = false
    @Flag(name: .long, help: "Confirm forgetting a whole project.") var yes = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if all {
            if target != nil { throw ValidationError("Give either an id or --project DIR --all, not both.") }
            if project == nil { throw ValidationError("--all needs --project DIR (the project to forget).") }
        } else {
            if target == nil { throw ValidationError("Say what to forget: an id like #42, session:ID or M7, or --project DIR --all.") }
            if project != nil { throw ValidationError("--project is only used with --all.") }
        }
    }

    func run() async throws {
        try await guarded {
            let what: ForgetService.Target
            if all {
                let root = ProjectRoot.of(project)
                guard yes else {
                    Terminal.printErr("engram: this deletes everything engram recorded for \(root). Run again with --yes to do it.")
                    throw ExitCode.failure
                }
                what = .project(root)
            } else {
                what = try ForgetService.Target.parse(target ?? "")
            }
            let report = try openEngine().forget(what)
            if output.json { try Terminal.printJSON(ForgetOut(target: report.target, deleted: report.deleted, total: report.total)); return }
            if report.total == 0 { print("Nothing recorded for \(report.target)."); return }
            let parts = report.deleted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            print("Forgot \(report.target): deleted " + parts.joined(separator: ", ") + ".")
        }
    }

    struct ForgetOut: Encodable { var target: String; var deleted: [String: Int]; var total: Int }
}

/// The project root for an optional directory argument, resolved as `--project` is.
enum ProjectRoot {
    static func of(_ dir: String?) -> String {
        var option = ProjectOption()
        option.project = dir
        return option.root
    }
}
