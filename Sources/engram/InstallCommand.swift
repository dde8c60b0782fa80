import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramMCP
import Foundation

/// Where engram's commands point: the absolute path of the running binary (not resolved
/// through symlinks, so a package manager's stable link survives upgrades).
enum RunningBinary {
    static var path: String {
        let arg0 = CommandLine.arguments.first ?? "engram"
        let fm = FileManager.default
        if arg0.contains("/") {
            let abs = arg0.hasPrefix("/") ? arg0 : fm.currentDirectoryPath + "/" + arg0
            return URL(fileURLWithPath: abs).standardizedFileURL.path
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(dir) + "/" + arg0
            if fm.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate).standardizedFileURL.path }
        }
        return Bundle.main.executablePath ?? arg0
    }

    /// The slim `engram-hook` installed beside this binary, when there is one (release builds make both).
    static var hookPath: String? {
        let sibling = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("engram-hook").path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : nil
    }
}

/// Which Claude Code settings file and MCP file an install targets.
struct ClaudeTarget: ParsableArguments {
    @Flag(name: .long, help: "Your user settings (~/.claude/settings.json). The default.") var user = false
    @Flag(name: .customLong("project"), help: "This project's shared settings (.claude/settings.json at the project root).") var projectScope = false
    @Option(name: .long, help: "Use this settings file instead (for tests and unusual setups).") var settings: String?
    @Option(name: .customLong("mcp-config"), help: "With --with-mcp: the MCP servers file (default ~/.claude.json, or .mcp.json with --project).")
    var mcpConfig: String?

    func validate() throws {
        if user && projectScope { throw ValidationError("Choose --user or --project, not both.") }
    }

    var home: String { ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() }
    var projectRoot: String { ProjectRoot.of(nil) }

    var settingsURL: URL {
        if let settings { return URL(fileURLWithPath: (settings as NSString).expandingTildeInPath) }
        return URL(fileURLWithPath: projectScope ? projectRoot + "/.claude/settings.json" : home + "/.claude/settings.json")
    }

    var mcpURL: URL {
        if let mcpConfig { return URL(fileURLWithPath: (mcpConfig as NSString).expandingTildeInPath) }
        return URL(fileURLWithPath: projectScope ? projectRoot + "/.mcp.json" : home + "/.claude.json")
    }
}

struct FileChange: Encodable {
    var path: String
    var changed: Bool
    var backup: String?
}

struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Register engram with a coding agent: Claude Code hooks, or an MCP client's config.",
        subcommands: [ClaudeCode.self, MCP.self]
    )

    struct ClaudeCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claude-code",
            abstract: "Merge engram's hooks (and with --with-mcp its MCP server) into Claude Code's settings.",
            discussion:
                "Only engram's own entries are added or replaced; a backup of each changed file is kept beside it. Running it twice changes nothing."
        )
        @OptionGroup var target: ClaudeTarget
        @Flag(name: .long, help: "Also register `engram mcp` as an MCP server.") var withMcp = false
        @Flag(name: .long, help: "Show what would change; write nothing.") var dryRun = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                let binary = RunningBinary.path
                let stamp = TextFile.stamp(Date())
                var changes: [FileChange] = []
                let settings = JSONFile(target.settingsURL)
                let before = try settings.read()
                let after = try ClaudeCodeHooks.install(into: before, binary: binary, hookBinary: RunningBinary.hookPath, path: settings.url.path)
                changes.append(try apply(settings, before, after, stamp))
                var mcpAfter: JSONValue?
                if withMcp {
                    let mcp = JSONFile(target.mcpURL)
                    let mb = try mcp.read()
                    let ma = try MCPClientConfig.install(into: mb, binary: binary, path: mcp.url.path)
                    mcpAfter = ma
                    changes.append(try apply(mcp, mb, ma, stamp))
                }
                if output.json { try Terminal.printJSON(InstallOut(binary: binary, dryRun: dryRun, files: changes)); return }
                if dryRun {
                    print("Would write \(settings.url.path):\n" + JSONFile.pretty(after))
                    if let mcpAfter { print("Would write \(target.mcpURL.path):\n" + JSONFile.pretty(mcpAfter)) }
                    return
                }
                for c in changes {
                    print(c.changed ? "Updated \(c.path)" + (c.backup.map { " (backup: \($0))" } ?? "") : "\(c.path) already up to date.")
                }
                let fast = RunningBinary.hookPath.map { " (session-start, prompts, tool use and session-end at \($0), which starts faster)" } ?? ""
                print("engram hooks point at \(binary)\(fast). `engram doctor` checks the setup; `engram uninstall claude-code` removes it.")
            }
        }

        func apply(_ file: JSONFile, _ before: JSONValue, _ after: JSONValue, _ stamp: String) throws -> FileChange {
            let changed = before != after || !file.exists
            guard changed, !dryRun else { return FileChange(path: file.url.path, changed: changed, backup: nil) }
            let backup = try file.write(after, backupStamp: stamp)
            return FileChange(path: file.url.path, changed: true, backup: backup)
        }
    }

    struct InstallOut: Encodable { var binary: String; var dryRun: Bool; var files: [FileChange] }

    struct MCP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Write (or print) an MCP client's config so it starts `engram mcp`.",
            discussion:
                "Cursor: ~/.cursor/mcp.json. Claude Desktop: claude_desktop_config.json. Codex: ~/.codex/config.toml [mcp_servers.engram]. print: show the JSON to paste anywhere."
        )
        @Option(name: .long, help: "cursor | claude-desktop | codex | print") var client: String
        @Option(name: .long, help: "Use this config file instead of the client's default.") var config: String?
        @Flag(name: .long, help: "Show what would change; write nothing.") var dryRun = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if MCPClientConfig.Client(rawValue: client) == nil {
                throw ValidationError("--client must be one of: \(MCPClientConfig.Client.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }

        func run() async throws {
            try await guarded {
                guard let kind = MCPClientConfig.Client(rawValue: client) else { throw ExitCode.validationFailure }
                let binary = RunningBinary.path
                let env = ProcessInfo.processInfo.environment
                let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
                if kind == .print {
                    let doc = JSONValue.object(["mcpServers": .object(["engram": MCPClientConfig.serverEntry(binary: binary)])])
                    print(JSONFile.pretty(doc), terminator: "")
                    return
                }
                let path = config.map { ($0 as NSString).expandingTildeInPath } ?? MCPClientConfig.defaultPath(for: kind, home: home, env: env) ?? ""
                let url = URL(fileURLWithPath: path)
                let stamp = TextFile.stamp(Date())
                var change: FileChange
                if kind == .codex {
                    let file = TextFile(url)
                    let before = try file.read()
                    let after = MCPClientConfig.installCodex(into: before, binary: binary)
                    change = FileChange(path: path, changed: before != after, backup: nil)
                    if dryRun {
                        if !output.json { print(after, terminator: "") }
                    } else if change.changed {
                        change.backup = try file.write(after, backupStamp: stamp)
                    }
                } else {
                    let file = JSONFile(url)
                    let before = try file.read()
                    let after = try MCPClientConfig.install(into: before, binary: binary, path: path)
                    change = FileChange(path: path, changed: before != after || !file.exists, backup: nil)
                    if dryRun {
                        if !output.json { print(JSONFile.pretty(after), terminator: "") }
                    } else if change.changed {
                        change.backup = try file.write(after, backupStamp: stamp)
                    }
                }
                if output.json { try Terminal.printJSON(InstallOut(binary: binary, dryRun: dryRun, files: [change])); return }
                if !dryRun {
                    print(
                        change.changed
                            ? "Updated \(path)" + (change.backup.map { " (backup: \($0))" } ?? "") + ". Restart \(client) to load engram."
                            : "\(path) already up to date.")
                }
            }
        }
    }
}

struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove exactly what `engram install` added.",
        subcommands: [ClaudeCode.self, MCP.self]
    )

    struct ClaudeCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claude-code",
            abstract: "Remove engram's hooks (and its MCP server entry) from Claude Code's settings; nothing else changes."
        )
        @OptionGroup var target: ClaudeTarget
        @Flag(name: .long, help: "Show what would change; write nothing.") var dryRun = false
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                let stamp = TextFile.stamp(Date())
                var changes: [FileChange] = []
                let settings = JSONFile(target.settingsURL)
                if settings.exists {
                    let before = try settings.read()
                    let after = ClaudeCodeHooks.uninstall(from: before)
                    var c = FileChange(path: settings.url.path, changed: before != after, backup: nil)
                    if c.changed && !dryRun { c.backup = try settings.write(after, backupStamp: stamp) }
                    changes.append(c)
                }
                let mcp = JSONFile(target.mcpURL)
                if mcp.exists {
                    let before = try mcp.read()
                    let after = MCPClientConfig.uninstall(from: before)
                    var c = FileChange(path: mcp.url.path, changed: before != after, backup: nil)
                    if c.changed && !dryRun { c.backup = try mcp.write(after, backupStamp: stamp) }
                    changes.append(c)
                }
                if output.json {
                    try Terminal.printJSON(InstallCommand.InstallOut(binary: RunningBinary.path, dryRun: dryRun, files: changes)); return
                }
                let changed = changes.filter(\.changed)
                if changed.isEmpty { print("engram was not registered in \(settings.url.path); nothing to remove.") }
                for c in changed { print((dryRun ? "Would update " : "Updated ") + c.path + (c.backup.map { " (backup: \($0))" } ?? "")) }
            }
        }
    }

    struct MCP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mcp", abstract: "Remove engram from an MCP client's config.")
        @Option(name: .long, help: "cursor | claude-desktop | codex") var client: String
        @Option(name: .long, help: "Use this config file instead of the client's default.") var config: String?

        func run() async throws {
            try await guarded {
                guard let kind = MCPClientConfig.Client(rawValue: client), kind != .print else {
                    throw ValidationError("--client must be cursor, claude-desktop or codex.")
                }
                let env = ProcessInfo.processInfo.environment
                let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
                let path = config.map { ($0 as NSString).expandingTildeInPath } ?? MCPClientConfig.defaultPath(for: kind, home: home, env: env) ?? ""
                let url = URL(fileURLWithPath: path)
                guard FileManager.default.fileExists(atPath: path) else { print("\(path) does not exist; nothing to remove."); return }
                let stamp = TextFile.stamp(Date())
                let changed: Bool
                if kind == .codex {
                    let before = try TextFile(url).read()
                    let after = MCPClientConfig.uninstallCodex(from: before)
                    changed = before != after
                    if changed { try TextFile(url).write(after, backupStamp: stamp) }
                } else {
                    let before = try JSONFile(url).read()
                    let after = MCPClientConfig.uninstall(from: before)
                    changed = before != after
                    if changed { _ = try JSONFile(url).write(after, backupStamp: stamp) }
                }
                print(changed ? "Removed engram from \(path)." : "engram was not in \(path); nothing changed.")
            }
        }
    }
}
