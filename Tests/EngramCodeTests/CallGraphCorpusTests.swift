import Foundation
import Testing

@testable import EngramCode

/// Edge precision and recall of the project call graph over the hand-checked corpus in
/// `Tests/Fixtures/callgraph` (one folder per case; `expected.json` is what the program calls when it
/// runs, checked with `trace.py --check`). The category of a case is its folder name up to the first `-`.
@Suite struct CallGraphCorpusTests {
    struct Edge: Hashable, Comparable {
        var caller: String
        var callee: String
        static func < (a: Edge, b: Edge) -> Bool { (a.caller, a.callee) < (b.caller, b.callee) }
    }

    struct Tally {
        var cases = 0, expected = 0, reported = 0, correct = 0
        var precision: Double { reported == 0 ? 1 : Double(correct) / Double(reported) }
        var recall: Double { expected == 0 ? 1 : Double(correct) / Double(expected) }

        mutating func add(_ other: Tally) {
            cases += other.cases; expected += other.expected; reported += other.reported; correct += other.correct
        }
    }

    static let corpus = FixtureSupport.fixture("callgraph")

    static func cases() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("expected.json").path) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func expected(_ dir: URL) throws -> Set<Edge> {
        let data = try Data(contentsOf: dir.appendingPathComponent("expected.json"))
        let graph = try JSONDecoder().decode([String: [String]].self, from: data)
        return Set(graph.flatMap { caller, callees in callees.map { Edge(caller: caller, callee: $0) } })
    }

    /// The edges engram reports for the case's files, as `engram code calls DIR` resolves them
    /// (`valueFlow: false`: the resolver before value flow, for the before/after figures).
    static func reported(_ dir: URL, valueFlow: Bool = true) throws -> Set<Edge> {
        let paths = SourceWalker(extensions: ["py"]).files(under: dir)
        var analyses: [CodeFileAnalysis] = []
        for p in paths {
            analyses.append(try PythonExtractor().extract(source: try Data(contentsOf: dir.appendingPathComponent(p)), path: p))
        }
        var resolver = ProjectResolver(root: dir, files: analyses)
        let resolved = valueFlow ? resolver.resolveCalls(ofProject: analyses) : analyses.map { resolver.resolveCallsWithoutValueFlow(of: $0) }
        var out = Set<Edge>()
        for (analysis, calls) in zip(analyses, resolved) {
            let module = resolver.moduleName(forPath: analysis.path)
            for c in calls where c.resolution != .unresolved {
                guard let callee = c.calleeResolved else { continue }
                let caller = c.callerName == CodeCall.moduleCaller ? module : module + "." + c.callerName
                out.insert(Edge(caller: caller, callee: callee))
            }
        }
        return out
    }

    /// Figures of the resolver without value flow, printed for comparison (nothing asserted).
    @Test func withoutValueFlowForComparison() throws {
        var total = Tally()
        for dir in try Self.cases() {
            let want = try Self.expected(dir), got = try Self.reported(dir, valueFlow: false)
            total.add(Tally(cases: 1, expected: want.count, reported: got.count, correct: want.intersection(got).count))
        }
        print(
            String(
                format: "call-graph corpus without value flow: %d expected %d reported %d correct  precision %.3f  recall %.3f",
                total.expected, total.reported, total.correct, total.precision, total.recall))
        #expect(total.expected > 0)
    }

    @Test func corpusMeetsPrecisionAndRecallTargets() throws {
        var byCategory: [String: Tally] = [:]
        var total = Tally()
        var notes: [String] = []
        let cases = try Self.cases()
        #expect(cases.count >= 20)
        for dir in cases {
            let want = try Self.expected(dir)
            let got = try Self.reported(dir)
            let t = Tally(cases: 1, expected: want.count, reported: got.count, correct: want.intersection(got).count)
            let category = String(dir.lastPathComponent.split(separator: "-").first ?? "")
            byCategory[category, default: Tally()].add(t)
            total.add(t)
            for e in want.subtracting(got).sorted() { notes.append("  \(dir.lastPathComponent): missed \(e.caller) -> \(e.callee)") }
            for e in got.subtracting(want).sorted() { notes.append("  \(dir.lastPathComponent): wrong  \(e.caller) -> \(e.callee)") }
        }
        func row(_ name: String, _ t: Tally) -> String {
            name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(
                    format: "%3d cases %4d expected %4d reported %4d correct  precision %.3f  recall %.3f",
                    t.cases, t.expected, t.reported, t.correct, t.precision, t.recall)
        }
        print("call-graph corpus (\(cases.count) cases):")
        for name in byCategory.keys.sorted() { print(row(name, byCategory[name]!)) }
        print(row("all", total))
        for n in notes { print(n) }
        #expect(total.precision >= 0.95, "precision \(total.precision)")
        #expect(total.recall >= 0.85, "recall \(total.recall)")
    }
}
