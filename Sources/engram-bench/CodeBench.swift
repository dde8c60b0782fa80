import EngramCode
import EngramCore
import Foundation

/// Function map plus calls over a real project's Python sources, beside CPython's
/// `ast.parse` plus a walk of the same files, in the same run.
struct CodeBench {
    let path: String?
    let python: String
    let rounds: Int

    struct Report: Codable {
        var machine, date, corpus: String
        var files, lines: Int
        var swiftSeconds: Double
        var swiftFilesPerSecond, swiftLinesPerSecond: Double
        var peerSeconds: Double?
        var peerFilesPerSecond, peerLinesPerSecond: Double?
        var ratio: Double?
        var symbols, calls: Int

        var table: String {
            func f(_ d: Double?) -> String { d.map { String(format: "%.0f", $0) } ?? "—" }
            return """
                engram-bench code — \(machine), \(date)
                corpus: \(corpus) (\(files) files, \(lines) lines; best of rounds)
                engram  (function map + resolved-per-file calls): \(String(format: "%.3f", swiftSeconds)) s  \(f(swiftFilesPerSecond)) files/s  \(f(swiftLinesPerSecond)) lines/s  (\(symbols) definitions, \(calls) calls)
                CPython (ast.parse + walk):                      \(peerSeconds.map { String(format: "%.3f", $0) } ?? "—") s  \(f(peerFilesPerSecond)) files/s  \(f(peerLinesPerSecond)) lines/s
                ratio (CPython time / engram time): \(ratio.map { String(format: "%.2fx", $0) } ?? "—")
                """
        }
    }

    func run() throws -> Report {
        let pythonPath = HookBench.which(python, env: ProcessInfo.processInfo.environment)
        let corpus: String
        if let path {
            corpus = path
        } else if let pythonPath, let stdlib = Self.stdlib(pythonPath) {
            corpus = stdlib
        } else {
            throw EngramError.invalidArgument("Give a directory of Python sources to measure (no python3 found to locate its standard library).")
        }
        let root = URL(fileURLWithPath: corpus)
        let rels = SourceWalker(extensions: ["py"]).files(under: root).filter { !$0.contains("test") }
        guard !rels.isEmpty else { throw EngramError.invalidArgument("No Python files under \(corpus).") }
        let urls = rels.map { root.appendingPathComponent($0) }
        var sources: [(String, Data)] = []
        for (rel, url) in zip(rels, urls) { if let d = FileManager.default.contents(atPath: url.path) { sources.append((rel, d)) } }
        let lines = sources.reduce(0) { acc, s in acc + s.1.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

        // Only files both sides parse count; the best of a few rounds smooths out a busy machine.
        let extractor = PythonExtractor()
        var parsed: [(String, Data)] = []
        var symbols = 0, calls = 0
        for (rel, data) in sources {
            if let a = try? extractor.extract(source: data, path: rel) {
                parsed.append((rel, data)); symbols += a.symbols.count; calls += a.calls.count
            }
        }
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for (rel, data) in parsed { _ = try? extractor.extract(source: data, path: rel) }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        let parsedLines = parsed.reduce(0) { acc, s in acc + s.1.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

        var peerSeconds: Double?
        if let pythonPath {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-codebench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let script = dir.appendingPathComponent("peer_ast.py")
            let list = dir.appendingPathComponent("files.txt")
            try Data(Self.peer.utf8).write(to: script)
            try Data(parsed.map { root.appendingPathComponent($0.0).path }.joined(separator: "\n").utf8).write(to: list)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: pythonPath)
            p.arguments = [script.path, list.path, String(max(1, rounds))]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if let v = try? JSONValue.parse(data), case .number(let s)? = v["seconds"] { peerSeconds = s }
        }
        return Report(
            machine: HookBench.machine(), date: String(Timestamp.format(Date()).prefix(10)), corpus: corpus,
            files: parsed.count, lines: parsedLines, swiftSeconds: best,
            swiftFilesPerSecond: Double(parsed.count) / best, swiftLinesPerSecond: Double(parsedLines) / best,
            peerSeconds: peerSeconds, peerFilesPerSecond: peerSeconds.map { Double(parsed.count) / $0 },
            peerLinesPerSecond: peerSeconds.map { Double(parsedLines) / $0 },
            ratio: peerSeconds.map { ($0 / best * 100).rounded() / 100 }, symbols: symbols, calls: calls)
    }

    static func stdlib(_ python: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]
        let out = Pipe()
        p.standardOutput = out
        guard (try? p.run()) != nil else { return nil }
        let s = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        p.waitUntilExit()
        return s.isEmpty ? nil : s
    }

    /// The peer: CPython parses every file and walks the tree for definitions and calls.
    static let peer = #"""
        import ast, json, sys, time
        paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
        rounds = int(sys.argv[2])
        sources = [open(p, "rb").read() for p in paths]
        best = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            defs = calls = 0
            for src in sources:
                try: tree = ast.parse(src)
                except (SyntaxError, ValueError): continue
                for node in ast.walk(tree):
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): defs += 1
                    elif isinstance(node, ast.Call): calls += 1
            best = min(best, time.perf_counter() - t0)
        print(json.dumps({"seconds": best, "defs": defs, "calls": calls}))
        """#
}
