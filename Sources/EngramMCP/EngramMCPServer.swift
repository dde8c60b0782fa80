import EngramCore
import Foundation
package import Logging
package import MCP

/// `engram mcp`: the MCP server over stdio. Everything but JSON-RPC goes to stderr.
package struct EngramMCPServer: Sendable {
    package static let instructions = """
        engram is the memory of past coding sessions in this project. To answer "did we already…" or "why is it like this", \
        call `search`, then `timeline` around a promising id, then `get_observations` for full records. Use `recent_context` \
        for a briefing when none was injected, `save_memory`/`search_memories` for things to remember on purpose, \
        `function_map`, `call_graph` and `callers` for code structure, `learnings` for conventions and gotchas.
        """

    let tools: EngramTools
    let logger: Logger

    package init(engram: Engram, projectRoot: String, logger: Logger) {
        self.tools = EngramTools(engram: engram, projectRoot: projectRoot)
        self.logger = logger
    }

    /// Serves until the client closes stdin.
    package func run(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) async throws {
        let server = Server(
            name: "engram", version: EngramMCPServer.version, title: "engram memory",
            instructions: Self.instructions, capabilities: .init(tools: .init(listChanged: false)))
        let tools = self.tools
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: ToolCatalog.tools) }
        await server.withMethodHandler(CallTool.self) { params in
            try await tools.call(params.name, arguments: params.arguments)
        }
        let transport = BlockingStdioTransport(input: input, output: output, logger: logger)
        try await server.start(transport: transport)
        // The vector index loads while the client starts up, not in its first search.
        let logger = self.logger
        Task.detached(priority: .utility) {
            do { try tools.engine.warmUpSearch() } catch { logger.warning("vector index not loaded ahead: \(error)") }
        }
        logger.info("engram mcp serving \(tools.projectRoot)")
        await server.waitUntilCompleted()
        await server.stop()
    }

    package static let version = "0.1.0"
}
