import Foundation
import Testing
@testable import EngramCode

/// Opt-in benchmark: `ENGRAM_CODE_BENCH=/some/python/tree swift test -c release --filter ExtractorBenchmark`.
/// Prints files/s and lines/s for the Swift extractor and for CPython `ast.parse` + walk on the same files.
@Suite struct ExtractorBenchmarkTests {
    static var corpus: String? { ProcessInfo.processInfo.environment["ENGRAM_CODE_BENCH"] }

    @Test(.enabled(if: corpus != nil)) func swiftVersusCPython() throws {
        let root = URL(fileURLWithPath: try #require(Self.corpus))
        let urls = SourceWalker(extensions: ["py"]).files(under: root).map { root.appendingPathComponent($0) }
        let sources = try urls.map { try Data(contentsOf: $0) }
        let lines = sources.reduce(0) { $0 + $1.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
        let extractor = PythonExtractor()
        let clock = ContinuousClock()
        var symbols = 0, calls = 0, parsed = 0
        let elapsed = clock.measure {
            for (url, data) in zip(urls, sources) {
                if let a = try? extractor.extract(source: data, path: url.lastPathComponent) {
                    parsed += 1; symbols += a.symbols.count; calls += a.calls.count
                }
            }
        }
        let swiftSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", FixtureSupport.repoRoot.appendingPathComponent("Scripts/python/bench_ast.py").path] + urls.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let peer = try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        let pySeconds = peer["seconds"] as? Double ?? 0
        let pyFiles = peer["files"] as? Int ?? 0

        func rate(_ n: Int, _ s: Double) -> String { String(format: "%.0f", Double(n) / max(s, 1e-9)) }
        print("swift  : \(parsed) files, \(lines) lines in \(String(format: "%.3f", swiftSeconds)) s -> \(rate(parsed, swiftSeconds)) files/s, \(rate(lines, swiftSeconds)) lines/s (\(symbols) symbols, \(calls) calls)")
        print("cpython: \(pyFiles) files in \(String(format: "%.3f", pySeconds)) s -> \(rate(pyFiles, pySeconds)) files/s, \(rate(lines, pySeconds)) lines/s")
        print("ratio  : swift is \(String(format: "%.2f", pySeconds / max(swiftSeconds, 1e-9)))x CPython")
        #expect(parsed > 0)
    }
}
