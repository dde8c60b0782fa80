import ArgumentParser
import EngramCommandLine
import EngramCore
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect engram's configuration.",
        subcommands: [Show.self, Path.self]
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
                if output.json {
                    struct Out: Encodable { var home: String; var file: String?; var settings: [Item]; var unknownKeys: [String] }
                    try Terminal.printJSON(Out(home: paths.home.path, file: config.fileURL?.path, settings: items, unknownKeys: config.unknownFileKeys))
                    return
                }
                print("data dir: \(paths.home.path)")
                print("config file: \(config.fileURL?.path ?? "(none; create \(paths.configTOML.path))")")
                let width = items.map(\.key.count).max() ?? 10
                for i in items {
                    let pad = String(repeating: " ", count: width - i.key.count)
                    print("\(i.key)\(pad)  \(i.value)  \(Terminal.dim("[\(i.source)] \(i.env)"))")
                }
                for k in config.unknownFileKeys { Terminal.printErr("warning: unknown key in config file: \(k)") }
            }
        }
    }

    struct Path: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the data directory.")
        func run() async throws { print(EngramPaths.fromEnvironment().home.path) }
    }
}
