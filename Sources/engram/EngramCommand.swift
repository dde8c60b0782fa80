import ArgumentParser
import EngramCore
import Foundation

@main
struct EngramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engram",
        abstract: "Persistent, local-first memory for AI coding agents.",
        discussion: """
            engram watches a coding agent work (Claude Code hooks, or MCP), keeps what matters and briefs the next session.
            Start with `engram demo` to see the whole pipeline on a bundled session. Data lives in $ENGRAM_HOME (default ~/.engram).
            """,
        version: EngramVersion.current,
        subcommands: [
            DemoCommand.self, HookCommand.self, ProcessCommand.self, ContextCommand.self, SearchCommand.self, ShowCommand.self,
            LearningsCommand.self, CodeCommand.self, ReportCommand.self, ExportCommand.self, ImportCommand.self,
            WorkerCommand.self, CompressCommand.self, MCPCommand.self, InstallCommand.self, UninstallCommand.self,
            DoctorCommand.self, ProjectCommand.self, ForgetCommand.self, ModelCommand.self, ReindexCommand.self,
            ConfigCommand.self, SandboxCommand.self, FunctionsCommand.self,
        ]
    )
}

extension EngramCommand {
    /// Runs like ArgumentParser's own entry point, but usage errors exit 2 (the contract in
    /// DESIGN.md) rather than EX_USAGE (64).
    static func main() async {
        let args = CommandLine.arguments
        if args.count == 3, args[1] == "hook", !args[2].hasPrefix("-") {
            await HookCommand.run(event: args[2])
            return
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error).rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum EngramVersion {
    static let current = "0.1.0"
}
