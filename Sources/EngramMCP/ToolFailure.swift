import Foundation
internal import MCP

/// What can go wrong in a tool call. Bad arguments and unknown tools become JSON-RPC
/// errors (-32602); the rest become a tool result with `isError` so the model can read
/// why and try again.
package enum ToolFailure: LocalizedError, Sendable, Equatable {
    case unknownTool(String)
    case badArgument(String)
    case outsideProject(String, String)
    case notFound(String)
    case failed(String)

    package var errorDescription: String? {
        switch self {
        case .unknownTool(let name):
            return "Unknown tool \"\(name)\". Call tools/list for the tools engram offers."
        case .badArgument(let why):
            return why
        case .outsideProject(let path, let root):
            return "The path \"\(path)\" is outside the project root \(root); engram only reads paths inside the project."
        case .notFound(let what):
            return what
        case .failed(let why):
            return why
        }
    }

    /// Whether this is a protocol error rather than a tool error.
    var isProtocolError: Bool {
        switch self {
        case .unknownTool, .badArgument: return true
        case .outsideProject, .notFound, .failed: return false
        }
    }

    var mcpError: MCPError { .invalidParams(errorDescription) }
}
