import EngramCode
import EngramCore
import EngramSandbox
import Foundation

/// The function library of one project: save Python functions as versions, test and run them in the sandbox,
/// compare and roll back versions, and keep every run's record.
package struct FunctionLibrary: Sendable {
    package let store: any FunctionLibraryStore
    package let runner: SandboxRunner
    package let project: String
    let now: @Sendable () -> Date

    package init(store: any FunctionLibraryStore, runner: SandboxRunner, project: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.runner = runner
        self.project = project
        self.now = now
    }

    // MARK: save

    /// Saves `name` (or every top-level function) of `source`. A function whose body hash equals its newest version's
    /// is `unchanged`. A new version runs its tests (`testsJSON`, else the latest version's) and becomes latest only
    /// when they pass, or with `force`.
    package func save(
        source: String, name: String? = nil, summary: String? = nil, testsJSON: String? = nil, force: Bool = false,
        author: String? = nil
    ) async throws -> [FunctionSaveOutcome] {
        let facts: [PythonFunctionFacts]
        do { facts = try PythonFunctionAnalyzer.functions(in: source) } catch { throw FunctionLibraryError.parse(error.localizedDescription) }
        guard !facts.isEmpty else { throw FunctionLibraryError.noFunctions }
        var chosen = facts
        if let name {
            guard let f = facts.first(where: { $0.name == name }) else {
                throw FunctionLibraryError.notInFile(name, available: facts.map(\.name))
            }
            chosen = [f]
        }
        if let testsJSON { _ = try Self.parseTests(testsJSON) }
        let known = try store.names(project: project).union(facts.map(\.name))
        var outcomes: [FunctionSaveOutcome] = []
        for f in chosen {
            let newest = try store.newest(project: project, name: f.name)
            let latest = try store.latest(project: project, name: f.name)
            let tests = testsJSON ?? latest?.testsJSON
            if let newest, newest.bodyHash == f.bodyHash, testsJSON == nil || testsJSON == newest.testsJSON,
                summary == nil || summary == newest.summary, newest.isLatest || !force
            {
                // (--force on the body of a failing newest version stores it again, as latest.)
                outcomes.append(
                    FunctionSaveOutcome(
                        name: f.name, version: newest.version, status: "unchanged",
                        tests: .init(passed: newest.testsPassed ?? 0, failed: newest.testsFailed ?? 0), complexity: newest.complexity,
                        riskScore: newest.riskScore, riskFindings: newest.riskFindings))
                continue
            }
            let risk = FunctionRisk.assess(f)
            let deps = f.calledNames.filter { $0 != f.name && known.contains($0) }
            var record = FunctionVersionRecord(
                project: project, name: f.name, signature: f.signature, docstring: f.docstring, summary: summary ?? latest?.summary,
                source: f.source, bodyHash: f.bodyHash, dependencies: deps, modules: f.importedModules, complexity: f.complexity,
                riskScore: risk.score, riskFindings: risk.findings, testsJSON: tests, testsPassed: nil, testsFailed: nil,
                status: "ok", isLatest: true, createdAt: Timestamp.format(now()), author: author, restoredFrom: nil)
            if let tests {
                // The new version's own source, with the library's other functions (and this file's) as it will run.
                let extra = Dictionary(facts.filter { $0.name != f.name }.map { ($0.name, $0.source) }, uniquingKeysWith: { a, _ in a })
                let report = try await runTests(record: record, cases: try Self.parseTests(tests), overrides: extra, recordRuns: false)
                record.testsPassed = report.passed
                record.testsFailed = report.failed
                if report.failed > 0 && !force {
                    record.status = "failing"
                    record.isLatest = false
                }
            }
            let stored = try store.insert(record)
            outcomes.append(
                FunctionSaveOutcome(
                    name: stored.name, version: stored.version, status: stored.status == "failing" ? "failing" : "saved",
                    tests: .init(passed: stored.testsPassed ?? 0, failed: stored.testsFailed ?? 0), complexity: stored.complexity,
                    riskScore: stored.riskScore, riskFindings: stored.riskFindings))
        }
        return outcomes
    }

    // MARK: read

    /// `NAME` (its latest version) or `NAME@V`.
    package func get(_ reference: String) throws -> FunctionVersionRecord {
        let (name, version) = try Self.parseReference(reference)
        if let version {
            guard let r = try store.version(project: project, name: name, version: version) else {
                throw FunctionLibraryError.versionNotFound(name, version)
            }
            return r
        }
        guard let r = try store.latest(project: project, name: name) ?? store.newest(project: project, name: name) else {
            throw FunctionLibraryError.notFound(name)
        }
        return r
    }

    package func versions(_ name: String) throws -> [FunctionVersionRecord] {
        let v = try store.versions(project: project, name: name)
        guard !v.isEmpty else { throw FunctionLibraryError.notFound(name) }
        return v
    }

    package func search(_ query: String, limit: Int = 10) throws -> [FunctionVersionRecord] {
        try store.search(project: project, query: query, limit: limit)
    }

    package func delete(_ name: String) throws -> Int {
        let n = try store.delete(project: project, name: name)
        guard n > 0 else { throw FunctionLibraryError.notFound(name) }
        return n
    }

    package func diff(_ name: String, from: Int, to: Int) throws -> FunctionDiff {
        guard let a = try store.version(project: project, name: name, version: from) else { throw FunctionLibraryError.versionNotFound(name, from) }
        guard let b = try store.version(project: project, name: name, version: to) else { throw FunctionLibraryError.versionNotFound(name, to) }
        return FunctionDiff(
            name: name, from: from, to: to, diff: UnifiedDiff.make(a.source, b.source, oldName: "\(name)@\(from)", newName: "\(name)@\(to)"),
            signatureChanged: a.signature != b.signature, oldSignature: a.signature, newSignature: b.signature,
            dependenciesAdded: b.dependencies.filter { !a.dependencies.contains($0) },
            dependenciesRemoved: a.dependencies.filter { !b.dependencies.contains($0) },
            modulesAdded: b.modules.filter { !a.modules.contains($0) }, modulesRemoved: a.modules.filter { !b.modules.contains($0) })
    }

    /// A new latest version equal to `version`; the history is kept.
    package func rollback(_ name: String, to version: Int) throws -> FunctionVersionRecord {
        guard var r = try store.version(project: project, name: name, version: version) else {
            throw FunctionLibraryError.versionNotFound(name, version)
        }
        r.isLatest = true
        r.status = "ok"
        r.restoredFrom = version
        r.createdAt = Timestamp.format(now())
        return try store.insert(r)
    }

    // MARK: run and test

    /// Calls the function (latest, or `version`) with JSON arguments in the sandbox and records the run.
    package func run(
        _ name: String, argsJSON: String = "[]", kwargsJSON: String = "{}", version: Int? = nil,
        limits: SandboxLimits? = nil, allowRisky: Bool = false
    ) async throws -> FunctionRunOutcome {
        let record = try get(version.map { "\(name)@\($0)" } ?? name)
        let args = try Self.parseJSON(argsJSON, what: "--args")
        let kwargs = try Self.parseJSON(kwargsJSON, what: "--kwargs")
        guard case .array = args else { throw FunctionLibraryError.badArguments("--args must be a JSON array") }
        guard case .object = kwargs else { throw FunctionLibraryError.badArguments("--kwargs must be a JSON object") }
        let hash = Self.argumentsHash(argsJSON + "\u{1F}" + kwargsJSON)
        if let refusal = try refusal(for: record, allowRisky: allowRisky) {
            return FunctionRunOutcome(name: name, version: record.version, sandbox: refusal, result: nil)
        }
        let payload: JSONValue = .object([
            "mode": "run", "function": .string(record.name), "source": .string(try librarySource(for: record, overrides: [:])),
            "args": args, "kwargs": kwargs,
        ])
        var sandbox = await runHarness(payload, limits: limits)
        var result: String?
        if let line = Self.resultLine(sandbox.stdout), let out = try? JSONValue.parse(line) {
            sandbox.stdout = Self.userOutput(sandbox.stdout, out)
            switch out["status"]?.stringValue {
            case "ok":
                result = out["value"].map(Self.encode) ?? "null"
            case "memory":
                sandbox.status = .memory
                sandbox.reason = "The function ran out of its memory limit (MemoryError)."
            case "raised":
                sandbox.status = .error
                sandbox.reason = "The function raised \(out["raised"]?.stringValue ?? "an exception"): \(out["error"]?.stringValue ?? "")"
            default:
                sandbox.status = .error
                sandbox.reason = out["error"]?.stringValue ?? "The function did not return a value."
            }
        } else if sandbox.status == .ok {
            sandbox.status = .error
            sandbox.reason = "The function's process ended without a result (it exited or closed its output)."
        }
        try store.record(
            run: FunctionRunRecord(
                project: project, name: record.name, version: record.version, kind: "run", argumentsHash: hash,
                status: sandbox.status.rawValue, durationMs: sandbox.durationMs, peakMemoryKb: sandbox.peakMemoryKb,
                createdAt: Timestamp.format(now())))
        return FunctionRunOutcome(name: record.name, version: record.version, sandbox: sandbox, result: result)
    }

    /// Runs the stored test cases of the function (latest, or `version`) and records the run.
    package func test(_ name: String, version: Int? = nil, limits: SandboxLimits? = nil) async throws -> FunctionTestReport {
        let record = try get(version.map { "\(name)@\($0)" } ?? name)
        guard let tests = record.testsJSON else { throw FunctionLibraryError.noTests(name) }
        return try await runTests(record: record, cases: try Self.parseTests(tests), overrides: [:], recordRuns: true, limits: limits)
    }

    func runTests(
        record: FunctionVersionRecord, cases: [JSONValue], overrides: [String: String], recordRuns: Bool,
        limits: SandboxLimits? = nil
    ) async throws -> FunctionTestReport {
        let payload: JSONValue = .object([
            "mode": "test", "function": .string(record.name),
            "source": .string(try librarySource(for: record, overrides: overrides)), "cases": .array(cases),
        ])
        let sandbox: SandboxResult
        if let refusal = try refusal(for: record, allowRisky: false) {
            sandbox = refusal
        } else {
            sandbox = await runHarness(payload, limits: limits)
        }
        var results: [FunctionCaseResult] = []
        var failedRun: SandboxResult?
        if sandbox.status == .ok, let line = Self.resultLine(sandbox.stdout), let out = try? JSONValue.parse(line),
            let items = out["results"]?.arrayValue
        {
            for item in items {
                results.append(
                    FunctionCaseResult(
                        case: item["case"]?.intValue ?? results.count, status: item["status"]?.stringValue ?? "failed",
                        expected: item["expected"] ?? .null, got: item["got"] ?? .null))
            }
        } else {
            failedRun = sandbox
            for (i, c) in cases.enumerated() {
                results.append(
                    FunctionCaseResult(
                        case: i, status: "failed", expected: c["expect"] ?? .null,
                        got: .object(["sandbox": .string(sandbox.status.rawValue), "reason": .string(sandbox.reason ?? "")])))
            }
        }
        let passed = results.filter { $0.status == "passed" }.count
        if recordRuns {
            try store.record(
                run: FunctionRunRecord(
                    project: project, name: record.name, version: record.version, kind: "test",
                    argumentsHash: Self.argumentsHash(record.testsJSON ?? ""),
                    status: passed == results.count ? "ok" : (failedRun?.status.rawValue ?? "error"), durationMs: sandbox.durationMs,
                    peakMemoryKb: sandbox.peakMemoryKb, createdAt: Timestamp.format(now())))
        }
        return FunctionTestReport(
            name: record.name, version: record.version, passed: passed, failed: results.count - passed,
            results: results, sandbox: failedRun)
    }

    /// Count, success rate and p50/p95 duration per version, from the recorded runs (calls and test runs).
    package func stats(_ name: String) throws -> FunctionStats {
        _ = try versions(name)
        let runs = try store.runs(project: project, name: name)
        let byVersion = Dictionary(grouping: runs, by: \.version)
        let versions = byVersion.keys.sorted().map { v -> FunctionVersionStats in
            let rs = byVersion[v]!
            let times = rs.map(\.durationMs).sorted()
            return FunctionVersionStats(
                version: v, runs: rs.count, successRate: Self.rate(rs), p50Ms: Self.percentile(times, 0.5),
                p95Ms: Self.percentile(times, 0.95))
        }
        return FunctionStats(name: name, runs: runs.count, successRate: Self.rate(runs), versions: versions)
    }

    // MARK: helpers

    func refusal(for record: FunctionVersionRecord, allowRisky: Bool) throws -> SandboxResult? {
        guard !allowRisky else { return nil }
        guard let f = try? PythonFunctionAnalyzer.functions(in: record.source).first(where: { $0.name == record.name }) else { return nil }
        let risk = FunctionRisk.assess(f)
        guard risk.hostile else { return nil }
        return .refused(
            "The static analysis refused \(record.name): " + risk.findings.joined(separator: "; ")
                + ". It reaches for the interpreter's internals; pass --allow-risky to run it in the sandbox anyway.",
            isolation: runner.configuration.isolation)
    }

    /// The function's source preceded by the latest sources of the library functions it depends on, transitively.
    func librarySource(for record: FunctionVersionRecord, overrides: [String: String]) throws -> String {
        var parts: [String] = []
        var seen: Set<String> = [record.name]
        var queue = record.dependencies
        while let dep = queue.first {
            queue.removeFirst()
            guard seen.insert(dep).inserted else { continue }
            if let src = overrides[dep] { parts.append(src); continue }
            guard let d = try store.latest(project: project, name: dep) else { continue }
            parts.append(d.source)
            queue += d.dependencies
        }
        for (name, src) in overrides.sorted(by: { $0.key < $1.key }) where !seen.contains(name) { parts.append(src) }
        parts.append(record.source)
        return parts.joined(separator: "\n\n\n")
    }

    func runHarness(_ payload: JSONValue, limits: SandboxLimits?) async -> SandboxResult {
        let job = SandboxJob(
            source: FunctionHarness.source, arguments: [FunctionHarness.payloadName],
            files: [FunctionHarness.payloadName: Self.encode(payload)])
        return await runner.runDetached(job, limits: limits)
    }

    static func resultLine(_ stdout: String) -> String? {
        guard let range = stdout.range(of: FunctionHarness.marker, options: .backwards) else { return nil }
        return String(stdout[range.upperBound...].prefix(while: { $0 != "\n" }))
    }

    /// The function's own prints (captured by the harness), instead of the harness's protocol text.
    static func userOutput(_ stdout: String, _ out: JSONValue) -> String {
        out["stdout"]?.stringValue ?? ""
    }

    static func parseReference(_ reference: String) throws -> (String, Int?) {
        let parts = reference.split(separator: "@", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, parts.count <= 2 else { throw FunctionLibraryError.badReference(reference) }
        if parts.count == 2 {
            guard let v = Int(parts[1]), v > 0 else { throw FunctionLibraryError.badReference(reference) }
            return (String(first), v)
        }
        return (String(first), nil)
    }

    static func parseTests(_ text: String) throws -> [JSONValue] {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch { throw FunctionLibraryError.badTests("not JSON (\(error.localizedDescription))") }
        guard let cases = value.arrayValue else { throw FunctionLibraryError.badTests("the top level is not an array") }
        for (i, c) in cases.enumerated() {
            guard case .object(let fields) = c else { throw FunctionLibraryError.badTests("case \(i) is not an object") }
            if let args = fields["args"], args.arrayValue == nil { throw FunctionLibraryError.badTests("case \(i): args is not an array") }
            if let kwargs = fields["kwargs"], case .object = kwargs {
            } else if fields["kwargs"] != nil {
                throw FunctionLibraryError.badTests("case \(i): kwargs is not an object")
            }
            guard fields["expect"] != nil else { throw FunctionLibraryError.badTests("case \(i) has no expect") }
            let unknown = Set(fields.keys).subtracting(["args", "kwargs", "expect"])
            if !unknown.isEmpty { throw FunctionLibraryError.badTests("case \(i) has unknown keys \(unknown.sorted())") }
        }
        return cases
    }

    static func parseJSON(_ text: String, what: String) throws -> JSONValue {
        do { return try JSONValue.parse(text) } catch { throw FunctionLibraryError.badArguments("\(what) is not JSON") }
    }

    static func encode(_ value: JSONValue) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: enc.encode(value), as: UTF8.self)) ?? "null"
    }

    static func argumentsHash(_ text: String) -> String {
        // FNV-1a, 64 bits: a grouping key for identical arguments, not a secret.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    static func rate(_ runs: [FunctionRunRecord]) -> Double {
        runs.isEmpty ? 0 : Double(runs.filter { $0.status == "ok" }.count) / Double(runs.count)
    }

    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let idx = min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))
        return (sorted[idx] * 1000).rounded() / 1000
    }
}
