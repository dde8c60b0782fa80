import EngramCode
import EngramCore
import EngramSQLite
import EngramSandbox
import Foundation
import Testing

@testable import EngramFunctions

/// The library on a real SQLite file, with tests and runs going through the real sandbox.
@Suite("Function library", .serialized)
struct FunctionLibraryTests {
    let dir: URL
    let library: FunctionLibrary

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-fn-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try EngramStore.open(path: dir.appendingPathComponent("engram.sqlite").path)
        library = FunctionLibrary(store: store.stores.functions, runner: SandboxRunner(), project: "/proj")
    }

    static let slugify = #"""
        import re

        def slugify(text, sep="-"):
            """Turn a title into a URL slug."""
            if not isinstance(text, str):
                raise TypeError("text must be a string")
            words = re.findall(r"[a-z0-9]+", text.lower())
            return sep.join(words)
        """#

    static let tests = #"""
        [{"args": ["Hello World"], "expect": "hello-world"},
         {"args": ["A  b"], "kwargs": {"sep": "_"}, "expect": "a_b"},
         {"args": [3], "expect": {"raises": "TypeError"}}]
        """#

    @Test("save stores a version with its tests' result, and the same body again is unchanged")
    func saveAndUnchanged() async throws {
        let first = try await library.save(source: Self.slugify, summary: "slugs", testsJSON: Self.tests)
        #expect(first.count == 1)
        #expect(first[0].status == "saved" && first[0].version == 1)
        #expect(first[0].tests.passed == 3 && first[0].tests.failed == 0)
        // A comment and blank lines do not change the body hash.
        let again = try await library.save(source: Self.slugify + "\n# a comment\n\n")
        #expect(again[0].status == "unchanged" && again[0].version == 1)
        let stored = try library.get("slugify")
        #expect(stored.modules == ["re"])
        #expect(stored.signature == "slugify(text, sep = '-')")
        #expect(stored.docstring == "Turn a title into a URL slug.")
        #expect(stored.complexity == 2)
    }

    @Test("a regression is kept from becoming latest unless forced")
    func regression() async throws {
        _ = try await library.save(source: Self.slugify, testsJSON: Self.tests)
        let broken = Self.slugify.replacingOccurrences(of: "sep.join(words)", with: "sep.join(words).upper()")
        let failing = try await library.save(source: broken)
        #expect(failing[0].status == "failing" && failing[0].version == 2)
        #expect(failing[0].tests.failed == 2)
        #expect(try library.get("slugify").version == 1, "the passing version stays latest")
        let versions = try library.versions("slugify")
        #expect(versions.map(\.isLatest) == [true, false])
        let forced = try await library.save(source: broken + "\n\ndef extra():\n    return 1\n", name: "slugify", force: true)
        #expect(forced[0].status == "saved")
        #expect(try library.get("slugify").version == 3)
    }

    @Test("run returns the JSON result, and every run is recorded in the stats")
    func runAndStats() async throws {
        _ = try await library.save(source: Self.slugify, testsJSON: Self.tests)
        let ok = try await library.run("slugify", argsJSON: #"["Swift Testing Rocks"]"#)
        #expect(ok.sandbox.status == .ok, "\(ok.sandbox)")
        #expect(ok.result == #""swift-testing-rocks""#)
        let bad = try await library.run("slugify", argsJSON: "[1]")
        #expect(bad.sandbox.status == .error)
        #expect(bad.sandbox.reason?.contains("TypeError") == true)
        let report = try await library.test("slugify")
        #expect(report.passed == 3 && report.failed == 0)
        let stats = try library.stats("slugify")
        #expect(stats.runs == 3)
        #expect(abs(stats.successRate - 2.0 / 3.0) < 1e-9)
        #expect(stats.versions.map(\.version) == [1])
        #expect(stats.versions[0].p95Ms >= stats.versions[0].p50Ms && stats.versions[0].p50Ms > 0)
    }

    @Test("a test report names each failing case with what it expected and got")
    func testReport() async throws {
        let src = "def add(a, b):\n    return a - b\n"
        let out = try await library.save(source: src, testsJSON: #"[{"args": [1, 1], "expect": 0}, {"args": [2, 1], "expect": 3}]"#, force: true)
        #expect(out[0].tests.passed == 1 && out[0].tests.failed == 1)
        let report = try await library.test("add")
        #expect(report.results.map(\.status) == ["passed", "failed"])
        #expect(report.results[1].expected == .number(3) && report.results[1].got == .number(1))
    }

    @Test("diff shows the unified diff and the signature and dependency changes; rollback makes a new latest copy")
    func diffAndRollback() async throws {
        _ = try await library.save(source: "def helper(x):\n    return x * 2\n")
        _ = try await library.save(source: "def calc(x):\n    return x + 1\n")
        _ = try await library.save(source: "def calc(x, y=1):\n    import math\n    return helper(x) + y\n")
        let d = try library.diff("calc", from: 1, to: 2)
        #expect(d.signatureChanged)
        #expect(d.dependenciesAdded == ["helper"])
        #expect(d.modulesAdded == ["math"])
        #expect(d.diff.contains("-    return x + 1") && d.diff.contains("+    return helper(x) + y"))
        let run = try await library.run("calc", argsJSON: "[5]")
        #expect(run.result == "11", "the dependency is defined for the run: \(run.sandbox)")
        let restored = try library.rollback("calc", to: 1)
        #expect(restored.version == 3 && restored.restoredFrom == 1 && restored.isLatest)
        #expect(try library.get("calc").source == "def calc(x):\n    return x + 1")
        #expect(try library.versions("calc").count == 3)
    }

    @Test("search finds latest versions by name, docstring, summary and code words")
    func search() async throws {
        _ = try await library.save(source: Self.slugify, summary: "url helper")
        _ = try await library.save(source: "def mean(xs):\n    \"\"\"Arithmetic average.\"\"\"\n    return sum(xs) / len(xs)\n")
        #expect(try library.search("slug").map(\.name) == ["slugify"])
        #expect(try library.search("average").map(\.name) == ["mean"])
        #expect(try library.search("url").map(\.name) == ["slugify"])
        #expect(try library.search("findall").map(\.name) == ["slugify"])
        #expect(try library.search("nothing-like-this").isEmpty)
        #expect(try library.delete("mean") == 1)
        #expect(try library.search("average").isEmpty)
    }

    @Test("the risk analysis flags escapes and refuses obviously hostile code; a built-up name is still contained")
    func riskAndRefusal() async throws {
        let hostile = "def f():\n    return ().__class__.__base__.__subclasses__()\n"
        let saved = try await library.save(source: hostile)
        #expect(saved[0].riskScore >= 40)
        #expect(saved[0].riskFindings.contains { $0.contains("__subclasses__") })
        let refused = try await library.run("f")
        #expect(refused.sandbox.status == .refused)
        // String-built names slip past the static analysis: the sandbox is what contains them.
        let sneaky = """
            def g():
                sub = getattr(getattr((), '__cla' + 'ss__'), '__ba' + 'se__')
                for c in getattr(sub, '__subcl' + 'asses__')():
                    if c.__name__ == '_wrap_close':
                        return getattr(c.__init__, '__glo' + 'bals__')['system']('cat /etc/shadow > /dev/null') != 0
                return None
            """
        let s = try await library.save(source: sneaky)
        #expect(s[0].riskScore > 0 && s[0].riskFindings.contains { $0.contains("getattr") })
        let ran = try await library.run("g")
        #expect(ran.sandbox.status == .ok, "\(ran.sandbox)")
        #expect(ran.result == "true", "cat /etc/shadow must fail inside the sandbox")
    }

    @Test("a function that never returns times out and the run is recorded as such")
    func timeoutRecorded() async throws {
        _ = try await library.save(source: "def spin():\n    while True:\n        pass\n")
        var limits = SandboxLimits.defaults
        limits.wallSeconds = 1
        let r = try await library.run("spin", limits: limits)
        #expect(r.sandbox.status == .timeout)
        #expect(try library.stats("spin").successRate == 0)
    }

    @Test("bad input gets a clear error and stores nothing")
    func badInput() async throws {
        await #expect(throws: FunctionLibraryError.self) { try await library.save(source: "def broken(:\n") }
        await #expect(throws: FunctionLibraryError.noFunctions) { try await library.save(source: "x = 1\n") }
        await #expect(throws: FunctionLibraryError.self) { try await library.save(source: Self.slugify, testsJSON: "{\"args\": 1}") }
        #expect(throws: FunctionLibraryError.notFound("slugify")) { try library.get("slugify") }
        _ = try await library.save(source: Self.slugify)
        await #expect(throws: FunctionLibraryError.self) { try await library.run("slugify", argsJSON: "{}") }
        #expect(throws: FunctionLibraryError.badReference("slugify@x")) { try library.get("slugify@x") }
    }
}
