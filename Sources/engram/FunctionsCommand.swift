import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramFunctions
import EngramSQLite
import EngramSandbox
import Foundation

struct FunctionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions",
        abstract: "The function library: save, version, test, search and run Python functions in the sandbox.",
        discussion: """
            Functions are kept per project (--project, default: the current directory's project). Each save of a changed body
            is a new version; tests (--tests TESTS.json: [{"args": [...], "kwargs": {...}, "expect": value | {"raises": "ValueError"}}])
            run in the sandbox, and a version whose tests fail does not become latest unless --force. Search is keyword-only
            (FTS5 over name, signature, docstring, summary and code).
            """,
        subcommands: [
            FunctionsSave.self, FunctionsSearch.self, FunctionsShow.self, FunctionsVersions.self, FunctionsDiff.self,
            FunctionsRollback.self, FunctionsDelete.self, FunctionsTest.self, FunctionsRun.self, FunctionsStats.self,
        ]
    )
}

/// Options every functions subcommand shares.
struct FunctionsOptions: ParsableArguments {
    @OptionGroup var project: ProjectOption
    @OptionGroup var output: OutputOptions

    func library() throws -> FunctionLibrary {
        try openEngine().functionLibrary(project: project.root)
    }
}

struct LimitOptions: ParsableArguments {
    @Option(name: .long, help: "Wall-clock limit in seconds (default 5).") var timeout: Double?
    @Option(name: .customLong("memory-mb"), help: "Address-space limit in MB (default 256).") var memoryMB: Int?

    func limits() -> SandboxLimits? {
        guard timeout != nil || memoryMB != nil else { return nil }
        var l = SandboxLimits.defaults
        if let timeout { l.wallSeconds = timeout }
        if let memoryMB { l.memoryMB = memoryMB }
        return l
    }
}

func readTextFile(_ path: String) throws -> String {
    let p = (path as NSString).expandingTildeInPath
    guard let data = FileManager.default.contents(atPath: p) else { throw SandboxCommandError.unreadable(path) }
    guard let text = String(data: data, encoding: .utf8) else { throw SandboxCommandError.notUTF8(path) }
    return text
}

struct FunctionsSave: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Save the functions of a Python file (or one of them) as new versions when they changed.",
        discussion: "Exit 1 when a failing test kept a version from becoming latest.")

    @Argument(help: "The Python file.") var file: String
    @Option(name: .long, help: "Save only this function of the file.") var name: String?
    @Option(name: .long, help: "A one-line summary of what it does.") var summary: String?
    @Option(name: .long, help: "A JSON file of test cases.") var tests: String?
    @Flag(name: .long, help: "Make the new version latest even when its tests fail.") var force = false
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let outcomes = try await guarded {
            let source = try readTextFile(file)
            let testsJSON = try tests.map(readTextFile)
            return try await options.library().save(
                source: source, name: name, summary: summary, testsJSON: testsJSON, force: force,
                author: ProcessInfo.processInfo.environment["USER"])
        }
        if options.output.json {
            if outcomes.count == 1 { try Terminal.printJSON(outcomes[0]) } else { try Terminal.printJSON(["functions": outcomes]) }
        } else {
            for o in outcomes {
                let tests = o.tests.passed + o.tests.failed > 0 ? ", tests \(o.tests.passed) passed, \(o.tests.failed) failed" : ""
                print("\(o.name)@\(o.version): \(o.status)\(tests); complexity \(o.complexity), risk \(o.riskScore)")
            }
        }
        if outcomes.contains(where: { $0.status == "failing" }) {
            if !options.output.json { Terminal.printErr("engram: a version failed its tests and was not made latest (use --force).") }
            throw ExitCode.failure
        }
    }
}

struct FunctionsSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search the library (keyword search).")
    @Argument(help: "Words to look for.") var query: String
    @Option(name: .long, help: "Most results (default 10).") var limit = 10
    @OptionGroup var options: FunctionsOptions

    struct Hit: Encodable { var name: String; var version: Int; var signature: String; var summary: String?; var docstring: String? }
    struct Out: Encodable { var query: String; var mode: String; var results: [Hit] }

    func run() async throws {
        let hits = try await guarded { try options.library().search(query, limit: max(1, limit)) }
        let out = Out(
            query: query, mode: "keyword",
            results: hits.map {
                Hit(name: $0.name, version: $0.version, signature: $0.signature, summary: $0.summary, docstring: $0.docstring)
            })
        if options.output.json { try Terminal.printJSON(out); return }
        if hits.isEmpty { print("No function matches \"\(query)\"."); return }
        for h in out.results { print("\(Terminal.bold(h.name))@\(h.version)  \(h.signature)" + (h.summary.map { "  — \($0)" } ?? "")) }
    }
}

struct FunctionsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a function (NAME or NAME@VERSION).")
    @Argument(help: "NAME or NAME@VERSION.") var reference: String
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let r = try await guarded { try options.library().get(reference) }
        if options.output.json { try Terminal.printJSON(r); return }
        print("\(Terminal.bold(r.name))@\(r.version)\(r.isLatest ? " (latest)" : "")  \(r.signature)")
        if let s = r.summary { print(s) }
        print("complexity \(r.complexity), risk \(r.riskScore)" + (r.riskFindings.isEmpty ? "" : ": " + r.riskFindings.joined(separator: "; ")))
        if !r.dependencies.isEmpty { print("depends on: " + r.dependencies.joined(separator: ", ")) }
        if !r.modules.isEmpty { print("imports: " + r.modules.joined(separator: ", ")) }
        print("")
        print(r.source)
    }
}

struct FunctionsVersions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List the versions of a function.")
    @Argument(help: "The function's name.") var name: String
    @OptionGroup var options: FunctionsOptions

    struct Version: Encodable {
        var version: Int; var createdAt: String; var summary: String?; var latest: Bool; var testsPassed: Bool?; var status: String
        var restoredFrom: Int?
        enum CodingKeys: String, CodingKey { case version, createdAt, summary, latest, testsPassed, status, restoredFrom }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(summary, forKey: .summary)
            try c.encode(latest, forKey: .latest)
            try c.encode(testsPassed, forKey: .testsPassed)
            try c.encode(status, forKey: .status)
            try c.encode(restoredFrom, forKey: .restoredFrom)
        }
    }

    func run() async throws {
        let versions = try await guarded { try options.library().versions(name) }
        let out = versions.map {
            Version(
                version: $0.version, createdAt: $0.createdAt, summary: $0.summary, latest: $0.isLatest,
                testsPassed: $0.testsFailed.map { $0 == 0 }, status: $0.status, restoredFrom: $0.restoredFrom)
        }
        if options.output.json { try Terminal.printJSON(["versions": out]); return }
        for v in out {
            let tests = v.testsPassed.map { $0 ? "tests pass" : "tests FAIL" } ?? "no tests"
            print(
                "\(v.version)\(v.latest ? " *" : "  ") \(v.createdAt)  \(tests)" + (v.restoredFrom.map { "  (rollback to \($0))" } ?? "")
                    + (v.summary.map { "  \($0)" } ?? ""))
        }
    }
}

struct FunctionsDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Compare two versions of a function.")
    @Argument(help: "The function's name.") var name: String
    @Argument(help: "The older version.") var from: Int
    @Argument(help: "The newer version.") var to: Int
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let d = try await guarded { try options.library().diff(name, from: from, to: to) }
        if options.output.json { try Terminal.printJSON(d); return }
        if d.signatureChanged { print("signature: \(d.oldSignature) -> \(d.newSignature)") }
        if !d.dependenciesAdded.isEmpty || !d.dependenciesRemoved.isEmpty {
            print("dependencies: +[\(d.dependenciesAdded.joined(separator: ", "))] -[\(d.dependenciesRemoved.joined(separator: ", "))]")
        }
        if !d.modulesAdded.isEmpty || !d.modulesRemoved.isEmpty {
            print("modules: +[\(d.modulesAdded.joined(separator: ", "))] -[\(d.modulesRemoved.joined(separator: ", "))]")
        }
        print(d.diff.isEmpty ? "(same source)" : d.diff, terminator: "")
    }
}

struct FunctionsRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "Make a new latest version equal to an old one.")
    @Argument(help: "The function's name.") var name: String
    @Argument(help: "The version to restore.") var version: Int
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let r = try await guarded { try options.library().rollback(name, to: version) }
        if options.output.json {
            try Terminal.printJSON(
                ["name": .string(r.name), "version": .number(Double(r.version)), "restored_from": .number(Double(version))] as [String: JSONValue]);
            return
        }
        print("\(r.name)@\(r.version) is latest, a copy of version \(version).")
    }
}

struct FunctionsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a function, every version and run.")
    @Argument(help: "The function's name.") var name: String
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let n = try await guarded { try options.library().delete(name) }
        if options.output.json {
            try Terminal.printJSON(["name": .string(name), "deleted_versions": .number(Double(n))] as [String: JSONValue]); return
        }
        print("Deleted \(name) (\(n) version\(n == 1 ? "" : "s")).")
    }
}

struct FunctionsTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run a function's test cases in the sandbox.", discussion: "Exit 1 when a case failed.")
    @Argument(help: "The function's name.") var name: String
    @Option(name: .long, help: "Test this version instead of the latest.") var version: Int?
    @OptionGroup var limits: LimitOptions
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let r = try await guarded { try await options.library().test(name, version: version, limits: limits.limits()) }
        if options.output.json {
            try Terminal.printJSON(r)
        } else {
            for c in r.results where c.status != "passed" {
                print("case \(c.case): FAILED, expected \(Self.text(c.expected)), got \(Self.text(c.got))")
            }
            print("\(r.name)@\(r.version): \(r.passed) passed, \(r.failed) failed")
        }
        if r.failed > 0 { throw ExitCode.failure }
    }

    static func text(_ v: JSONValue) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return (try? String(decoding: enc.encode(v), as: UTF8.self)) ?? "?"
    }
}

struct FunctionsRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Call a function in the sandbox with JSON arguments.",
        discussion: "Prints the sandbox result plus \"result\" (the JSON-encoded return value). Exit 1 unless the status is ok.")
    @Argument(help: "The function's name.") var name: String
    @Option(name: .long, help: "Positional arguments as a JSON array.") var args = "[]"
    @Option(name: .long, help: "Keyword arguments as a JSON object.") var kwargs = "{}"
    @Option(name: .long, help: "Run this version instead of the latest.") var version: Int?
    @Flag(name: .customLong("allow-risky"), help: "Run code the static analysis refuses (still in the sandbox).") var allowRisky = false
    @OptionGroup var limits: LimitOptions
    @OptionGroup var options: FunctionsOptions

    struct Out: Encodable {
        var sandbox: SandboxResult
        var name: String
        var version: Int
        var result: String?
        enum Keys: String, CodingKey { case result, name, version }
        func encode(to encoder: any Encoder) throws {
            try sandbox.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(result, forKey: .result)
            try c.encode(name, forKey: .name)
            try c.encode(version, forKey: .version)
        }
    }

    func run() async throws {
        let r = try await guarded {
            try await options.library().run(
                name, argsJSON: args, kwargsJSON: kwargs, version: version, limits: limits.limits(),
                allowRisky: allowRisky)
        }
        if options.output.json {
            try Terminal.printJSON(Out(sandbox: r.sandbox, name: r.name, version: r.version, result: r.result))
        } else {
            if !r.sandbox.stdout.isEmpty { FileHandle.standardError.write(Data(r.sandbox.stdout.utf8)) }
            if let result = r.result { print(result) }
        }
        if r.sandbox.status != .ok {
            if !options.output.json { Terminal.printErr("engram: \(r.sandbox.status.rawValue): \(r.sandbox.reason ?? "")") }
            throw ExitCode.failure
        }
    }
}

struct FunctionsStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Runs, success rate and p50/p95 time per version.")
    @Argument(help: "The function's name.") var name: String
    @OptionGroup var options: FunctionsOptions

    func run() async throws {
        let s = try await guarded { try options.library().stats(name) }
        if options.output.json { try Terminal.printJSON(s); return }
        print("\(s.name): \(s.runs) runs, \(Int((s.successRate * 100).rounded()))% ok")
        for v in s.versions {
            print("  v\(v.version): \(v.runs) runs, \(Int((v.successRate * 100).rounded()))% ok, p50 \(v.p50Ms) ms, p95 \(v.p95Ms) ms")
        }
    }
}
