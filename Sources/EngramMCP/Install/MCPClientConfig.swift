import EngramCore
import Foundation

/// Registers `engram mcp` with MCP clients: the `mcpServers` JSON shape (Claude Code,
/// Cursor, Claude Desktop) and Codex's TOML `[mcp_servers.engram]` table.
package enum MCPClientConfig {
    package enum Client: String, CaseIterable, Sendable {
        case cursor
        case claudeDesktop = "claude-desktop"
        case codex
        case print
    }

    /// The server entry: `{"command": binary, "args": ["mcp"]}`.
    package static func serverEntry(binary: String) -> JSONValue {
        .object(["command": .string(binary), "args": .array(["mcp"])])
    }

    /// Default config file for a client, from the home directory and platform.
    package static func defaultPath(for client: Client, home: String, env: [String: String]) -> String? {
        switch client {
        case .cursor: return home + "/.cursor/mcp.json"
        case .codex: return (env["CODEX_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.codex") + "/config.toml"
        case .claudeDesktop:
            #if os(macOS)
                return home + "/Library/Application Support/Claude/claude_desktop_config.json"
            #else
                let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
                return base + "/Claude/claude_desktop_config.json"
            #endif
        case .print: return nil
        }
    }

    /// `doc` with `mcpServers.engram` set.
    package static func install(into doc: JSONValue, binary: String, path: String) throws -> JSONValue {
        guard var root = doc.objectValue else { throw InstallError.notJSON(path) }
        var servers: [String: JSONValue]
        switch root["mcpServers"] {
        case nil, .null?: servers = [:]
        case .object(let o)?: servers = o
        default: throw InstallError.badShape(path, "\"mcpServers\" is not an object")
        }
        servers["engram"] = serverEntry(binary: binary)
        root["mcpServers"] = .object(servers)
        return .object(root)
    }

    /// `doc` without engram's server entry (only if its command is an `engram` binary running `mcp`).
    package static func uninstall(from doc: JSONValue) -> JSONValue {
        guard var root = doc.objectValue, var servers = root["mcpServers"]?.objectValue, let entry = servers["engram"],
            isEngramEntry(entry)
        else { return doc }
        servers.removeValue(forKey: "engram")
        if servers.isEmpty { root.removeValue(forKey: "mcpServers") } else { root["mcpServers"] = .object(servers) }
        return .object(root)
    }

    static func isEngramEntry(_ entry: JSONValue) -> Bool {
        guard let c = entry["command"]?.stringValue else { return false }
        return (c as NSString).lastPathComponent == "engram" && entry["args"] == .array(["mcp"])
    }

    /// Codex's config.toml with a `[mcp_servers.engram]` table replacing any previous one.
    package static func installCodex(into toml: String, binary: String) -> String {
        var lines = removingCodexTable(toml)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        if !lines.isEmpty { lines.append("") }
        lines += ["[mcp_servers.engram]", "command = \(tomlString(binary))", "args = [\"mcp\"]"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Codex's config.toml without the `[mcp_servers.engram]` table.
    package static func uninstallCodex(from toml: String) -> String {
        var lines = removingCodexTable(toml)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private static func removingCodexTable(_ toml: String) -> [String] {
        var out: [String] = []
        var skipping = false
        for line in toml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("[") {
                let name = t.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                skipping = name == "mcp_servers.engram" || name.hasPrefix("mcp_servers.engram.")
            }
            if !skipping { out.append(line) }
        }
        if out.last == "" { out.removeLast() }
        return out
    }

    static func tomlString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
