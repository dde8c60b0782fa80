import EngramCore
import EngramFunctions
import EngramSandbox
import Foundation
internal import MCP

/// The function library's tools: save, search, get, run, test, list versions and roll back Python functions. Runs
/// and tests go through the sandbox like `engram functions run`.
extension EngramTools {
    func functionLibrary(_ a: ToolArguments) throws -> FunctionLibrary {
        try engine.functionLibrary(project: try project(a))
    }

    /// Handles a function-library tool, or returns nil when `name` is not one.
    func functionTool(_ name: String, _ a: ToolArguments) async throws -> Reply? {
        switch name {
        case "save_function":
            let source = try a.requiredString("source")
            let tests = try a.values["tests"].map { v -> String in
                if case .string(let s) = v { return s }
                return FunctionLibraryTools.json(ValueBridge.json(v))
            }
            let outcomes = try await functionLibrary(a).save(
                source: source, name: try a.string("name"), summary: try a.string("summary"), testsJSON: tests,
                force: { if case .bool(true)? = a.values["force"] { true } else { false } }(), author: "mcp")
            let lines = outcomes.map {
                "\($0.name)@\($0.version): \($0.status), tests \($0.tests.passed) passed, \($0.tests.failed) failed, risk \($0.riskScore)"
            }
            return Reply(text: lines.joined(separator: "\n"), structured: ["functions": try ValueBridge.value(outcomes)])
        case "search_functions":
            let hits = try functionLibrary(a).search(try a.requiredString("query"), limit: try a.int("limit", range: 1...50) ?? 10)
            let text =
                hits.isEmpty
                ? "No saved function matches."
                : hits.map { "\($0.name)@\($0.version)  \($0.signature)" + ($0.summary.map { " — \($0)" } ?? "") }
                    .joined(separator: "\n") + "\n\nNext: `get_function` for the source, `run_function` to call one."
            let brief = hits.map {
                FunctionLibraryTools.Brief(name: $0.name, version: $0.version, signature: $0.signature, summary: $0.summary, docstring: $0.docstring)
            }
            return Reply(text: text, structured: ["results": try ValueBridge.value(brief), "mode": "keyword"])
        case "get_function":
            let r = try functionLibrary(a).get(try a.requiredString("name"))
            return Reply(text: "\(r.name)@\(r.version)  \(r.signature)\n\n\(r.source)", structured: try ValueBridge.value(r))
        case "function_versions":
            let name = try a.requiredString("name")
            let versions = try functionLibrary(a).versions(name)
            let text = versions.map { "\($0.version)\($0.isLatest ? " (latest)" : "") \($0.createdAt) \($0.status)" }.joined(separator: "\n")
            let list = versions.map {
                FunctionLibraryTools.VersionRow(
                    version: $0.version, created_at: $0.createdAt, summary: $0.summary,
                    latest: $0.isLatest, tests_passed: $0.testsFailed.map { $0 == 0 })
            }
            return Reply(text: text, structured: ["versions": try ValueBridge.value(list)])
        case "rollback_function":
            let name = try a.requiredString("name")
            guard let v = try a.int("version", range: 1...1_000_000) else {
                throw ToolFailure.badArgument("rollback_function: `version` is required.")
            }
            let r = try functionLibrary(a).rollback(name, to: v)
            return Reply(
                text: "\(r.name)@\(r.version) is latest, a copy of version \(v).", structured: ["name": .string(r.name), "version": .int(r.version)])
        case "run_function":
            let name = try a.requiredString("name")
            let args = a.values["args"].map { FunctionLibraryTools.json(ValueBridge.json($0)) } ?? "[]"
            let kwargs = a.values["kwargs"].map { FunctionLibraryTools.json(ValueBridge.json($0)) } ?? "{}"
            let r = try await functionLibrary(a).run(name, argsJSON: args, kwargsJSON: kwargs, version: try a.int("version", range: 1...1_000_000))
            var structured = try ValueBridge.value(r.sandbox)
            if case .object(var o) = structured {
                o["result"] = r.result.map { .string($0) } ?? .null
                structured = .object(o)
            }
            let text = r.sandbox.status == .ok ? "result: \(r.result ?? "null")" : "\(r.sandbox.status.rawValue): \(r.sandbox.reason ?? "")"
            return Reply(text: text, structured: structured)
        case "test_function":
            let report = try await functionLibrary(a).test(try a.requiredString("name"), version: try a.int("version", range: 1...1_000_000))
            return Reply(text: "\(report.passed) passed, \(report.failed) failed", structured: try ValueBridge.value(report))
        default:
            return nil
        }
    }
}

enum FunctionLibraryTools {
    struct Brief: Encodable { var name: String; var version: Int; var signature: String; var summary: String?; var docstring: String? }
    struct VersionRow: Encodable { var version: Int; var created_at: String; var summary: String?; var latest: Bool; var tests_passed: Bool? }

    static func json(_ v: JSONValue) -> String {
        (try? String(decoding: JSONEncoder().encode(v), as: UTF8.self)) ?? "null"
    }

    static let nameProperty: Value = ["type": "string", "minLength": 1, "description": "The function's name (top-level def name)."]

    static let tools: [Tool] = [
        Tool(
            name: "save_function", title: "Save a function",
            description: """
                Save Python source (one or more top-level functions) to the project's function library as new versions when the \
                body changed. Give `tests` ([{"args": [...], "kwargs": {...}, "expect": value | {"raises": "ValueError"}}]) to have \
                them run in the sandbox: a version whose tests fail is not made latest unless `force`. Search first with \
                `search_functions` to reuse what exists.
                """,
            inputSchema: [
                "type": "object",
                "properties": [
                    "source": ["type": "string", "minLength": 1, "description": "Python source with at least one top-level def."],
                    "name": ["type": "string", "description": "Save only this function of the source."],
                    "summary": ["type": "string", "description": "One line on what it does."],
                    "tests": ["type": "array", "items": ["type": "object"], "description": "Test cases."],
                    "force": ["type": "boolean", "default": false],
                    "project": ToolCatalog.projectProperty,
                ], "required": ["source"], "additionalProperties": false,
            ],
            annotations: .init(title: "Save function", readOnlyHint: false, destructiveHint: false, openWorldHint: false)),
        Tool(
            name: "search_functions", title: "Search saved functions",
            description:
                "Keyword search over saved functions (name, signature, docstring, summary, code). Use before writing a helper that may exist.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "query": ["type": "string", "minLength": 1], "limit": ["type": "integer", "minimum": 1, "maximum": 50, "default": 10],
                    "project": ToolCatalog.projectProperty,
                ], "required": ["query"], "additionalProperties": false,
            ],
            annotations: .init(title: "Search functions", readOnlyHint: true, openWorldHint: false)),
        Tool(
            name: "get_function", title: "Get a saved function",
            description: "The source, signature, scores and tests of a saved function: NAME (latest) or NAME@VERSION.",
            inputSchema: [
                "type": "object", "properties": ["name": nameProperty, "project": ToolCatalog.projectProperty],
                "required": ["name"], "additionalProperties": false,
            ],
            annotations: .init(title: "Get function", readOnlyHint: true, openWorldHint: false)),
        Tool(
            name: "run_function", title: "Run a saved function",
            description:
                "Call a saved function in the sandbox (no network, no host files, 5 s, 256 MB) with JSON arguments; returns the sandbox status and the JSON result.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "name": nameProperty, "args": ["type": "array"], "kwargs": ["type": "object"],
                    "version": ["type": "integer", "minimum": 1], "project": ToolCatalog.projectProperty,
                ], "required": ["name"], "additionalProperties": false,
            ],
            annotations: .init(title: "Run function", readOnlyHint: false, destructiveHint: false, openWorldHint: false)),
        Tool(
            name: "test_function", title: "Test a saved function",
            description: "Run a saved function's test cases in the sandbox; returns passed, failed and each case's expected and got.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "name": nameProperty, "version": ["type": "integer", "minimum": 1], "project": ToolCatalog.projectProperty,
                ], "required": ["name"], "additionalProperties": false,
            ],
            annotations: .init(title: "Test function", readOnlyHint: false, destructiveHint: false, openWorldHint: false)),
        Tool(
            name: "function_versions", title: "Versions of a function",
            description: "The versions of a saved function, newest last, with which is latest and whether its tests passed.",
            inputSchema: [
                "type": "object", "properties": ["name": nameProperty, "project": ToolCatalog.projectProperty],
                "required": ["name"], "additionalProperties": false,
            ],
            annotations: .init(title: "Function versions", readOnlyHint: true, openWorldHint: false)),
        Tool(
            name: "rollback_function", title: "Roll back a function",
            description: "Make a new latest version of a saved function equal to an older one (the history is kept); see `function_versions` first.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "name": nameProperty, "version": ["type": "integer", "minimum": 1], "project": ToolCatalog.projectProperty,
                ], "required": ["name", "version"], "additionalProperties": false,
            ],
            annotations: .init(title: "Roll back function", readOnlyHint: false, destructiveHint: false, openWorldHint: false)),
    ]
}
