import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect and change engram's configuration.",
        subcommands: [Show.self, SetValue.self, Unset.self, Path.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting's effective value and where it came from (default, file or environment).")

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                let paths = EngramPaths.fromEnvironment()
                let config = try EngramConfig.load(paths: paths)
                struct Item: Encodable { var key, value, source, env, help: String }
                let items = ConfigKey.all.map { k in
                    let e = config.entries[k.name]!
                    return Item(key: k.name, value: e.value, source: e.source.rawValue, env: k.environmentName, help: k.help)
                }
                let env = ProcessInfo.processInfo.environment
                let llm = LLMPolicy.resolve(config: config, env: env)
                let seen = LLMPolicy.seen(paths: paths)
                if output.json {
                    struct LLM: Encodable { var here: LLMPolicy; var hooks: LLMPolicy.Seen? }
                    struct Out: Encodable { var home: String; var file: String?; var settings: [Item]; var unknownKeys: [String]; var llm: LLM }
                    try Terminal.printJSON(
                        Out(
                            home: paths.home.path, file: config.fileURL?.path, settings: items, unknownKeys: config.unknownFileKeys,
                            llm: LLM(here: llm, hooks: seen)))
                    return
                }
                print("data dir: \(paths.home.path)")
                print("config file: \(config.fileURL?.path ?? "(none; create \(paths.configTOML.path))")")
                let width = items.map(\.key.count).max() ?? 10
                for i in items {
                    let pad = String(repeating: " ", count: width - i.key.count)
                    print("\(i.key)\(pad)  \(i.value)  \(Terminal.dim("[\(i.source)] \(i.env)"))")
                }
                print("")
                print("llm (this shell): \(llm.line)")
                if let seen, seen.policy != llm { print("llm (Claude Code's hooks, \(seen.seenAt)): \(seen.policy.line)") }
                for k in config.unknownFileKeys { Terminal.printErr("warning: unknown key in config file: \(k)") }
            }
        }
    }

    struct SetValue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set one setting in the config file (config.toml in the data dir), keeping the rest of the file as it is.",
            discussion:
                "Examples: `engram config set llm.enabled false`, `engram config set embeddings.model all-MiniLM-L6-v2`, `engram config set capture.skip_tools TodoWrite,ToolSearch`. An ENGRAM_* environment variable still overrides the file."
        )

        @Argument(help: "The setting, e.g. context.budget (see `engram config show`).") var key: String
        @Argument(help: "Its value; a list is comma-separated.") var value: String

        func validate() throws { try ConfigCommand.checkKnown(key) }

        func run() async throws {
            try await guarded {
                let paths = EngramPaths.fromEnvironment()
                let file = try ConfigFileEditor(paths: paths).set(key, value)
                print("\(key) = \(value)  (in \(file.path))")
                if let name = ConfigKey.named(key)?.environmentName, ProcessInfo.processInfo.environment[name] != nil {
                    Terminal.printErr("note: \(name) is set in this environment and overrides the file")
                }
            }
        }
    }

    struct Unset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove one setting from the config file: its default applies again.")

        @Argument(help: "The setting, e.g. context.budget.") var key: String

        func validate() throws { try ConfigCommand.checkKnown(key) }

        func run() async throws {
            try await guarded {
                let file = try ConfigFileEditor(paths: EngramPaths.fromEnvironment()).unset(key)
                print("\(key) unset  (in \(file.path))")
            }
        }
    }

    /// An unknown key is a usage error (exit 2), with the message that names the known ones.
    static func checkKnown(_ key: String) throws {
        do { _ = try ConfigFileEditor.known(key) } catch { throw ValidationError((error as? LocalizedError)?.errorDescription ?? "\(error)") }
    }

    struct Path: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the data directory.")
        func run() async throws { print(EngramPaths.fromEnvironment().home.path) }
    }
}
