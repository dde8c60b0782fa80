import Foundation
import Testing

@testable import EngramCode

/// Opt-in: `ENGRAM_CODE_CORPUS=/some/python/tree swift test --filter CorpusParity` compares every
/// file of a real project with CPython (symbols and calls) and reports the first mismatches.
@Suite struct CorpusParityTests {
    static var corpus: String? { ProcessInfo.processInfo.environment["ENGRAM_CODE_CORPUS"] }

    @Test(.enabled(if: corpus != nil)) func corpusMatchesCPython() throws {
        let root = URL(fileURLWithPath: try #require(Self.corpus))
        let files = SourceWalker(extensions: ["py"]).files(under: root).map { root.appendingPathComponent($0) }
        var mismatches: [String] = []
        for chunk in stride(from: 0, to: files.count, by: 200) {
            let batch = Array(files[chunk..<min(files.count, chunk + 200)])
            let dumps = try FixtureSupport.cpythonDump(batch)
            for (url, dump) in zip(batch, dumps) {
                let data = try Data(contentsOf: url)
                let result = Result { () throws(CodeParseError) -> CodeFileAnalysis in try PythonExtractor().extract(source: data, path: url.path) }
                switch result {
                case .failure(let e):
                    if dump["error"] == nil { mismatches.append("\(url.path): Swift failed: \(e.localizedDescription)") }
                case .success(let a):
                    guard let syms = dump["symbols"] as? [[String: Any]] else { mismatches.append("\(url.path): CPython failed"); continue }
                    if syms.count != a.symbols.count { mismatches.append("\(url.path): \(a.symbols.count) vs \(syms.count) symbols"); continue }
                    for (s, p) in zip(a.symbols, syms) {
                        let mine = [
                            s.qualifiedName, s.kind.rawValue, s.parentClass ?? "-", s.signature, s.decorators.joined(separator: "|"),
                            s.docstring ?? "-", "\(s.lineStart)", "\(s.lineEnd)",
                        ]
                        let theirs = [
                            p["qualified_name"] as? String ?? "", p["kind"] as? String ?? "", p["parent_class"] as? String ?? "-",
                            p["signature"] as? String ?? "", (p["decorators"] as? [String] ?? []).joined(separator: "|"),
                            p["docstring"] as? String ?? "-", "\(p["line_start"] as? Int ?? 0)", "\(p["line_end"] as? Int ?? 0)",
                        ]
                        if mine != theirs {
                            let diff = zip(mine, theirs).filter { $0 != $1 }.map { "\($0.0) ≠ \($0.1)" }
                            mismatches.append("\(url.path): \(diff.joined(separator: "; "))")
                        }
                    }
                    let calls = a.calls.map {
                        "\($0.callerName)|\($0.calleeName)|\($0.calleeResolved ?? "nil")|\($0.resolution.rawValue)|\($0.lineNumber)"
                    }.sorted()
                    let pcalls = (dump["calls"] as? [[String: Any]] ?? []).map { p in
                        "\(p["caller"] as? String ?? "")|\(p["callee"] as? String ?? "")|\(p["resolved"] as? String ?? "nil")|\(p["resolution"] as? String ?? "")|\(p["line"] as? Int ?? 0)"
                    }.sorted()
                    if calls != pcalls {
                        let extra = Set(calls).subtracting(pcalls).prefix(2), missing = Set(pcalls).subtracting(calls).prefix(2)
                        mismatches.append("\(url.path): calls +\(Array(extra)) -\(Array(missing))")
                    }
                }
            }
        }
        print("corpus: \(files.count) files, \(mismatches.count) mismatches")
        for m in mismatches.prefix(40) { print("  " + m) }
        #expect(mismatches.isEmpty)
    }
}
