import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramMCP
import Foundation

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Run engram's MCP server over stdio (for Claude Code, Cursor, Claude Desktop, Codex…).",
        discussion: "Speaks newline-delimited JSON-RPC on stdin/stdout; logs go to stderr. Tools: \(ToolCatalog.names.joined(separator: ", ")).",
    )

    @OptionGroup var project: ProjectOption

    func run() async throws {
        try await guarded {
            let engram = try openEngram()
            let root = project.root
            try await EngramMCPServer(engram: engram, projectRoot: root, logger: engram.logger).run()
        }
    }
}
