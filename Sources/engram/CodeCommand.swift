import ArgumentParser
import EngramCode
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct CodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Code intelligence: function maps, call edges and call graphs of Python and Swift sources.",
        subcommands: [Map.self, Calls.self, Graph.self, Callers.self]
    )

    struct Paths: ParsableArguments {
        @Argument(help: "Files or directories (directories are walked, honouring .gitignore and skipping virtualenvs and build folders).")
        var paths: [String] = ["."]
    }

    static func scan(_ paths: [String], includeExternal: Bool = false) throws -> CodeScan.Result {
        let result = try CodeScan(includeExternal: includeExternal).scan(paths)
        for s in result.skipped { Terminal.printErr("engram: skipped \(s.path): \(s.reason)") }
        return result
    }

    struct Map: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the function map: classes, signatures, line ranges, decorators.")
        @OptionGroup var paths: Paths
        @OptionGroup var output: OutputOptions

        struct Entry: Encodable {
            var file, qualifiedName, kind, signature, bodyHash: String
            var parentClass, docstring: String?
            var decorators: [String]
            var lineStart, lineEnd: Int

            enum CodingKeys: String, CodingKey {
                case file, qualifiedName, kind, signature, bodyHash, parentClass, docstring, decorators, lineStart, lineEnd
            }

            /// Absent values are written as null so every object has the same keys.
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(file, forKey: .file); try c.encode(qualifiedName, forKey: .qualifiedName)
                try c.encode(kind, forKey: .kind); try c.encode(signature, forKey: .signature)
                try c.encode(bodyHash, forKey: .bodyHash); try c.encode(parentClass, forKey: .parentClass)
                try c.encode(docstring, forKey: .docstring); try c.encode(decorators, forKey: .decorators)
                try c.encode(lineStart, forKey: .lineStart); try c.encode(lineEnd, forKey: .lineEnd)
            }
        }

        func run() async throws {
            try await guarded {
                let result = try CodeCommand.scan(paths.paths)
                if output.json {
                    try Terminal.printJSON(
                        result.files.flatMap { f in
                            f.symbols.map {
                                Entry(
                                    file: f.path, qualifiedName: $0.qualifiedName, kind: $0.kind.rawValue, signature: $0.signature,
                                    bodyHash: $0.bodyHash,
                                    parentClass: $0.parentClass, docstring: $0.docstring, decorators: $0.decorators, lineStart: $0.lineStart,
                                    lineEnd: $0.lineEnd)
                            }
                        })
                    return
                }
                for f in result.files { print(FunctionMapFormatter.render(path: f.path, symbols: f.symbols), terminator: "") }
            }
        }
    }

    struct Calls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print call edges with their resolution (direct, self_method, import, value, unresolved).",
            discussion: "value: resolved by following what a name, attribute, parameter, container or return value holds.")
        @OptionGroup var paths: Paths
        @Flag(help: "Also show calls that leave the project (builtins, standard library, dependencies).") var external = false
        @OptionGroup var output: OutputOptions

        struct Edge: Encodable {
            var callerFile, callerName, calleeName, resolution: String
            var calleeResolved: String?
            var lineNumber: Int

            enum CodingKeys: String, CodingKey { case callerFile, callerName, calleeName, resolution, calleeResolved, lineNumber }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(callerFile, forKey: .callerFile); try c.encode(callerName, forKey: .callerName)
                try c.encode(calleeName, forKey: .calleeName); try c.encode(calleeResolved, forKey: .calleeResolved)
                try c.encode(resolution, forKey: .resolution); try c.encode(lineNumber, forKey: .lineNumber)
            }
        }

        func run() async throws {
            try await guarded {
                let result = try CodeCommand.scan(paths.paths, includeExternal: external)
                let edges = result.files.flatMap { f in
                    f.calls.map {
                        Edge(
                            callerFile: f.path, callerName: $0.callerName, calleeName: $0.calleeName, resolution: $0.resolution.rawValue,
                            calleeResolved: $0.calleeResolved, lineNumber: $0.lineNumber)
                    }
                }
                if output.json { try Terminal.printJSON(edges); return }
                var current = ""
                for e in edges {
                    let head = "\(e.callerFile) \(e.callerName)"
                    if head != current { print(Terminal.bold(head + ":")); current = head }
                    let target = e.calleeResolved.map { "→ \($0)" } ?? ""
                    print("  L\(e.lineNumber)  \(e.calleeName)  \(target)  \(Terminal.dim("[\(e.resolution)]"))")
                }
            }
        }
    }

    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw the call graph as Mermaid (default) or Graphviz DOT; changed functions styled.")
        @OptionGroup var paths: Paths
        @Flag(help: "Mermaid flowchart (the default).") var mermaid = false
        @Flag(help: "Graphviz DOT.") var dot = false
        @Flag(help: "Leave out callees not defined in these files.") var internalOnly = false
        @Flag(help: "Also draw calls that leave the project (builtins, standard library, dependencies).") var external = false

        func validate() throws {
            if mermaid && dot { throw ValidationError("Choose one of --mermaid and --dot.") }
        }

        func run() async throws {
            try await guarded {
                let result = try CodeCommand.scan(paths.paths, includeExternal: external)
                // Style what engram saw change, when this project has a data dir with snapshots.
                let changes =
                    (try? EngramRuntime.openEngine()).flatMap {
                        try? $0.storedCodeChanges(project: result.projectRoot.path, files: result.files.map(\.path))
                    } ?? [:]
                let renderer = CodeGraphRenderer(changes: changes, includeExternal: !internalOnly)
                print(dot ? renderer.dot(result.files) : renderer.mermaid(result.files), terminator: "")
            }
        }
    }

    struct Callers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What calls this? Answers from the call graph engram stored as the agent edited code.")
        @Argument(help: "A function or method name: refresh_token, AuthService.refresh_token or a module-qualified name.")
        var name: String
        @OptionGroup var project: ProjectOption
        @Option(help: "Most edges to show.") var limit = 200
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                let edges = try openEngine().callers(of: name, project: project.root, limit: limit)
                if output.json { try Terminal.printJSON(edges); return }
                if edges.isEmpty {
                    print(
                        "No stored callers of \(name). engram records call graphs of Python and Swift files as they are edited; `engram code calls PATH` analyses files now."
                    )
                    return
                }
                for e in edges {
                    print(
                        "\(e.callerFile):\(e.lineNumber.map(String.init) ?? "?")  \(Terminal.bold(e.callerName))  → \(e.calleeName)\(e.calleeResolved.map { "  [\($0)]" } ?? "")"
                    )
                }
            }
        }
    }
}
