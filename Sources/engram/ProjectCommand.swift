import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Switch capture off or on for one project (a list in $ENGRAM_HOME; nothing is written into the project).",
        discussion: "A `.engram-ignore` file at the project root or ENGRAM_DISABLED=1 also switch capture off.",
        subcommands: [Disable.self, Enable.self, Status.self],
        defaultSubcommand: Status.self
    )

    struct StatusOut: Encodable {
        var project: String
        var capturing: Bool
        var disabledByList: Bool
        var ignoreFile: Bool
        var disabledByEnvironment: Bool
        var changed: Bool?
    }

    static func status(_ root: String, changed: Bool? = nil) -> StatusOut {
        let env = ProcessInfo.processInfo.environment
        let listed = ProjectOptOut(paths: EngramPaths.fromEnvironment(env)).isDisabled(root)
        let ignored = ProjectLocator.isIgnored(projectRoot: root)
        let global = globallyDisabled(env)
        return StatusOut(
            project: root, capturing: !(listed || ignored || global), disabledByList: listed, ignoreFile: ignored,
            disabledByEnvironment: global, changed: changed)
    }

    /// ENGRAM_DISABLED read as the hooks read it.
    static func globallyDisabled(_ env: [String: String]) -> Bool {
        ["1", "true", "yes", "on"].contains((env["ENGRAM_DISABLED"] ?? "").trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func show(_ s: StatusOut, json: Bool) throws {
        if json { try Terminal.printJSON(s); return }
        var why: [String] = []
        if s.disabledByList { why.append("disabled with `engram project disable`") }
        if s.ignoreFile { why.append(".engram-ignore at the project root") }
        if s.disabledByEnvironment { why.append("ENGRAM_DISABLED is set") }
        print("\(s.project): " + (s.capturing ? "capturing" : "not capturing (" + why.joined(separator: "; ") + ")"))
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop capturing this project: every hook skips it.")
        @OptionGroup var project: ProjectOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            try await guarded {
                let root = project.root
                let changed = try ProjectOptOut(paths: EngramPaths.fromEnvironment()).disable(root)
                try ProjectCommand.show(ProjectCommand.status(root, changed: changed), json: output.json)
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Capture this project again.")
        @OptionGroup var project: ProjectOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            try await guarded {
                let root = project.root
                let changed = try ProjectOptOut(paths: EngramPaths.fromEnvironment()).enable(root)
                try ProjectCommand.show(ProjectCommand.status(root, changed: changed), json: output.json)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether engram captures this project, and if not, why.")
        @OptionGroup var project: ProjectOption
        @OptionGroup var output: OutputOptions
        func run() async throws {
            try await guarded { try ProjectCommand.show(ProjectCommand.status(project.root), json: output.json) }
        }
    }
}
