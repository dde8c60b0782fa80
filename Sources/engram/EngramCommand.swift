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
            HookCommand.self, ProcessCommand.self, ContextCommand.self, SearchCommand.self, ShowCommand.self,
            ConfigCommand.self, BenchCommand.self,
        ]
    )
}

enum EngramVersion {
    static let current = "0.1.0"
}
