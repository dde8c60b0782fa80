import Foundation
import Testing

@testable import EngramCode

/// CPython's `ast` is ground truth: every shared field must agree on every fixture.
@Suite struct PythonParityTests {
    struct FileResult {
        var swift: Result<CodeFileAnalysis, CodeParseError>
        var python: [String: Any]
    }

    static func compareAll() throws -> [(URL, FileResult)] {
        let files = try FixtureSupport.pythonFixtures()
        let dumps = try FixtureSupport.cpythonDump(files)
        #expect(dumps.count == files.count)
        var out: [(URL, FileResult)] = []
        for (url, dump) in zip(files, dumps) {
            let data = try Data(contentsOf: url)
            let r = Result { () throws(CodeParseError) -> CodeFileAnalysis in
                try PythonExtractor().extract(source: data, path: url.lastPathComponent)
            }
            out.append((url, FileResult(swift: r, python: dump)))
        }
        return out
    }

    @Test func fixturesParseExactlyWhenCPythonDoes() throws {
        for (url, r) in try Self.compareAll() {
            let cpythonFails = r.python["error"] != nil
            switch r.swift {
            case .success: #expect(!cpythonFails, "\(url.lastPathComponent): Swift parsed, CPython failed")
            case .failure(let e):
                #expect(cpythonFails, "\(url.lastPathComponent): \(e.localizedDescription)")
                if case let .syntax(_, line, _, _) = e, let pe = r.python["error"] as? [String: Any] {
                    #expect(line == pe["line"] as? Int, "\(url.lastPathComponent) error line")
                }
            }
        }
    }

    @Test func symbolsMatchCPython() throws {
        var compared = 0
        for (url, r) in try Self.compareAll() {
            guard case .success(let a) = r.swift, let py = r.python["symbols"] as? [[String: Any]] else { continue }
            let name = url.lastPathComponent
            #expect(a.symbols.count == py.count, "\(name): symbol count")
            for (s, p) in zip(a.symbols, py) {
                let where_ = "\(name) \(s.qualifiedName)"
                #expect(s.qualifiedName == p["qualified_name"] as? String, "\(where_)")
                #expect(s.kind.rawValue == p["kind"] as? String, "\(where_) kind")
                #expect(s.parentClass == p["parent_class"] as? String, "\(where_) parent")
                #expect(s.signature == p["signature"] as? String, "\(where_) signature")
                #expect(s.decorators == (p["decorators"] as? [String] ?? []), "\(where_) decorators")
                #expect(s.docstring == p["docstring"] as? String, "\(where_) docstring")
                #expect(s.lineStart == p["line_start"] as? Int, "\(where_) line_start")
                #expect(s.lineEnd == p["line_end"] as? Int, "\(where_) line_end")
                compared += 1
            }
        }
        #expect(compared > 50)
    }

    @Test func callsMatchCPython() throws {
        for (url, r) in try Self.compareAll() {
            guard case .success(let a) = r.swift, let py = r.python["calls"] as? [[String: Any]] else { continue }
            let mine = a.calls.map { "\($0.callerName)|\($0.calleeName)|\($0.calleeResolved ?? "nil")|\($0.resolution.rawValue)|\($0.lineNumber)" }
                .sorted()
            let theirs = py.map { p in
                "\(p["caller"] as? String ?? "")|\(p["callee"] as? String ?? "")|\(p["resolved"] as? String ?? "nil")|\(p["resolution"] as? String ?? "")|\(p["line"] as? Int ?? 0)"
            }.sorted()
            #expect(mine == theirs, "\(url.lastPathComponent): calls differ")
        }
    }

    @Test func importsMatchCPython() throws {
        for (url, r) in try Self.compareAll() {
            guard case .success(let a) = r.swift, let py = r.python["imports"] as? [[String: Any]] else { continue }
            let mine = a.imports.map { "\($0.module ?? "nil")|\($0.level)|\($0.name ?? "nil")|\($0.alias ?? "nil")|\($0.lineNumber)" }
            let theirs = py.map { p in
                "\(p["module"] as? String ?? "nil")|\(p["level"] as? Int ?? -1)|\(p["name"] as? String ?? "nil")|\(p["alias"] as? String ?? "nil")|\(p["line"] as? Int ?? 0)"
            }
            #expect(mine == theirs, "\(url.lastPathComponent): imports differ")
        }
    }
}
