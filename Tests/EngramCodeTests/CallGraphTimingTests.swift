import Foundation
import Testing

@testable import EngramCode

/// Opt-in measurement, not a timed assertion: `ENGRAM_CODE_TIMING=/some/python/tree swift test -c release
/// --filter CallGraphTiming` prints engram's function map + value-flow call graph over every file of the tree
/// (resolved as one project) beside CPython's `ast.parse` + walk of the same files, in the same run.
@Suite struct CallGraphTimingTests {
    static var tree: String? { ProcessInfo.processInfo.environment["ENGRAM_CODE_TIMING"] }

    static let peer = #"""
        import ast, json, sys, time
        paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
        sources = [open(p, "rb").read() for p in paths]
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for src in sources:
                try: tree = ast.parse(src)
                except (SyntaxError, ValueError): continue
                for node in ast.walk(tree):
                    pass
            best = min(best, time.perf_counter() - t0)
        print(json.dumps({"seconds": best}))
        """#

    @Test(.enabled(if: tree != nil)) func mapAndCallGraphBesideCPython() throws {
        let root = URL(fileURLWithPath: try #require(Self.tree))
        let rels = SourceWalker(extensions: ["py"]).files(under: root).filter { !$0.contains("test") }
        var sources: [(String, Data)] = []
        for rel in rels {
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(rel).path),
                (try? PythonExtractor().extract(source: data, path: rel)) != nil
            else { continue }
            sources.append((rel, data))
        }
        var parseBest = Double.infinity, totalBest = Double.infinity
        var edges = 0, unresolved = 0, valueEdges = 0
        for _ in 0..<3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            var analyses: [CodeFileAnalysis] = []
            analyses.reserveCapacity(sources.count)
            for (rel, data) in sources { if let a = try? PythonExtractor().extract(source: data, path: rel) { analyses.append(a) } }
            let t1 = DispatchTime.now().uptimeNanoseconds
            var resolver = ProjectResolver(root: root, files: analyses)
            let calls = resolver.resolveCalls(ofProject: analyses).flatMap { $0 }
            let t2 = DispatchTime.now().uptimeNanoseconds
            parseBest = min(parseBest, Double(t1 - t0) / 1e9)
            totalBest = min(totalBest, Double(t2 - t0) / 1e9)
            edges = calls.count
            unresolved = calls.filter { $0.resolution == .unresolved }.count
            valueEdges = calls.filter { $0.resolution == .value }.count
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-cg-timing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.peer.utf8).write(to: dir.appendingPathComponent("peer.py"))
        try Data(sources.map { root.appendingPathComponent($0.0).path }.joined(separator: "\n").utf8).write(
            to: dir.appendingPathComponent("files.txt"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", dir.appendingPathComponent("peer.py").path, dir.appendingPathComponent("files.txt").path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let peer = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["seconds"] as? Double ?? .nan
        print(
            String(
                format:
                    "call-graph timing: %d files; engram map %.3f s, map + value-flow calls %.3f s (%d edges, %d value, %d unresolved); CPython ast.parse + walk %.3f s; ratio %.2fx",
                sources.count, parseBest, totalBest, edges, valueEdges, unresolved, peer, peer / totalBest))
        #expect(edges > 0)
    }
}
