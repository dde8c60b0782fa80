import EngramCore
import EngramDemo
import EngramSQLite
import Foundation

/// The spine's benchmark: hooks as whole processes, keyword search, processing throughput.
struct HookBench {
    let records: Int
    let runs: Int
    let items: Int
    let python: String
    /// The folder holding the peers' programs (`peer_hook.py`, `peer_search.py`).
    let scripts: URL
    let progress: Bool
    var keep = false

    struct Report: Codable {
        var machine: String
        var date: String
        var records: Int
        /// The binary the hooks ran as: `engram-hook` when it sits beside engram (as installed), else `engram hook`.
        var hookBinary: String
        var postToolUse: BenchStats
        var postToolUsePeer: BenchStats?
        var postToolUseRatio: Double?
        var sessionStart: BenchStats
        /// The same two hooks run as `engram hook …` by the full CLI, for comparison (nil when hookBinary is the CLI).
        var postToolUseFullCLI: BenchStats?
        var sessionStartFullCLI: BenchStats?
        var search: BenchStats
        /// The queries and how many records each matches (bm25 scores every match).
        var searchQueries: [String]
        var searchMatches: [Int]
        var searchPeer: BenchStats?
        var searchRatio: Double?
        var processItemsPerSecond: Double
        var budgets: [String: String]

        var table: String {
            func row(_ name: String, _ s: BenchStats, _ peer: BenchStats?, _ ratio: Double?, _ budget: String) -> String {
                let peerText = peer.map { String(format: "%8.2f", $0.p50) } ?? "       —"
                let ratioText = ratio.map { String(format: "%5.2fx", $0) } ?? "    —"
                let padded = name.padding(toLength: 28, withPad: " ", startingAt: 0)
                return padded + String(format: " %8.2f %8.2f ", s.p50, s.p95) + peerText + " " + ratioText + "   " + budget
            }
            var lines = [
                "engram-bench — \(machine), \(date), \(records) observations; hooks run as `\(hookBinary)`",
                "path                           p50 ms   p95 ms  peer p50  ratio   budget",
                row("hook post-tool-use", postToolUse, postToolUsePeer, postToolUseRatio, budgets["post_tool_use"] ?? ""),
                row("hook session-start", sessionStart, nil, nil, budgets["session_start"] ?? ""),
            ]
            if let full = postToolUseFullCLI { lines.append(row("  same, `engram hook`", full, nil, nil, "")) }
            if let full = sessionStartFullCLI { lines.append(row("  session-start, `engram hook`", full, nil, nil, "")) }
            lines.append(row("keyword search (in-process)", search, searchPeer, searchRatio, budgets["search"] ?? ""))
            let sorted = searchMatches.sorted()
            if let lo = sorted.first, let hi = sorted.last {
                lines.append("  \(searchQueries.count) queries matching \(lo)–\(hi) records (median \(sorted[sorted.count / 2]))")
            }
            lines.append("process throughput: \(Int(processItemsPerSecond)) items/s   (budget ≥ 2000)")
            lines.append("ratio = peer p50 / engram p50 (above 1: engram is faster). Peers: Python stdlib hook; SQLite FTS5 from Python.")
            return lines.joined(separator: "\n")
        }
    }

    func log(_ s: String) { if progress { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

    func run() async throws -> Report {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-bench-\(UUID().uuidString)")
        defer { if keep { log("  kept \(root.path)") } else { try? FileManager.default.removeItem(at: root) } }
        let home = root.appendingPathComponent("home")
        let project = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        env["ENGRAM_HOME"] = home.path
        env.removeValue(forKey: "ENGRAM_DISABLED")
        // A worker draining the queue would distort what the hooks measure.
        env["ENGRAM_WORKER_AUTOSTART"] = "0"
        let engram = try Engram.open(env: env)

        log("seeding \(records) observations…")
        let seedMs = try Stopwatch.ms { try SyntheticCorpus().populate(engram.store, project: project.path, count: records) }
        log(String(format: "  seeded in %.1fs", seedMs / 1000))

        let payload = Self.postToolUsePayload(project: project.path)
        let exe = try Stopwatch.engramPath()
        // Installs register the slim hook binary when it sits beside engram; measure what gets installed.
        let slim = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("engram-hook").path
        let hookExe = FileManager.default.isExecutableFile(atPath: slim) ? slim : nil
        func hookRun(_ event: String, _ stdin: Data, full: Bool = false) throws -> Double {
            if let hookExe, !full { return try Stopwatch.process(hookExe, [event], stdin: stdin, env: env).ms }
            return try Stopwatch.process(exe, ["hook", event], stdin: stdin, env: env).ms
        }

        log("hook post-tool-use × \(runs)…")
        var hookMs: [Double] = []
        for _ in 0..<runs { hookMs.append(try hookRun("post-tool-use", payload)) }
        var fullHookMs: [Double] = []
        if hookExe != nil {
            log("hook post-tool-use × \(runs / 2) through the full CLI…")
            for _ in 0..<max(10, runs / 2) { fullHookMs.append(try hookRun("post-tool-use", payload, full: true)) }
        }

        var peerHook: BenchStats?
        var peerSearch: BenchStats?
        let hookScript = scripts.appendingPathComponent("peer_hook.py")
        let searchScript = scripts.appendingPathComponent("peer_search.py")
        for script in [hookScript, searchScript] where !FileManager.default.fileExists(atPath: script.path) {
            throw BenchError.missingScript(script.path)
        }
        // The interpreter itself, not a launcher in front of it: a pyenv shim is a shell script that adds ~100 ms
        // to every launch, which would be charged to the peer.
        let pythonPath = Self.which(python, env: env).map { Self.interpreter($0, env: env) }
        if let pythonPath {
            log("  peer interpreter: \(pythonPath)")
            log("python peer hook × \(runs)…")
            var ms: [Double] = []
            for _ in 0..<runs {
                ms.append(try Stopwatch.process(pythonPath, [hookScript.path, engram.paths.database.path], stdin: payload, env: env).ms)
            }
            peerHook = BenchStats(ms)
        } else {
            log("  \(python) not found: peers skipped")
        }

        log("hook session-start × \(max(20, runs / 4))…")
        var startMs: [Double] = [], fullStartMs: [Double] = []
        for i in 0..<max(20, runs / 4) {
            let p = Data(
                #"{"session_id":"bench-start-\#(i)","transcript_path":"/tmp/t.jsonl","cwd":"\#(project.path)","hook_event_name":"SessionStart","source":"startup"}"#
                    .utf8)
            startMs.append(try hookRun("session-start", p))
            if hookExe != nil && i % 2 == 0 { fullStartMs.append(try hookRun("session-start", p, full: true)) }
        }

        log("keyword search…")
        let queries = SyntheticCorpus().queries(count: 10)
        let matches = try queries.map { q in try FTS5Query.build(q).map { try engram.store.keywordMatches($0.all) } ?? 0 }
        let search = SearchService(engram)
        for q in queries { _ = try search.search(.init(text: q, project: project.path)) } // warm the page cache
        var searchMs: [Double] = []
        for _ in 0..<10 {
            for q in queries {
                searchMs.append(try Stopwatch.ms { _ = try search.search(.init(text: q, project: project.path, limit: 10)) })
            }
        }
        if let pythonPath {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: pythonPath)
            p.arguments = [searchScript.path, engram.paths.database.path, project.path] + queries
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if let v = try? JSONValue.parse(data), let arr = v["ms"]?.arrayValue {
                peerSearch = BenchStats(arr.compactMap { if case .number(let n) = $0 { n } else { nil } })
            }
        }

        log("process throughput over \(items) items…")
        let queued = try Self.enqueue(engram, items: items, project: project.path)
        let processMs = try await {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await QueueProcessor(engram).drain()
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000
        }()

        let hook = BenchStats(hookMs), search50 = BenchStats(searchMs)
        return Report(
            machine: Self.machine(), date: String(Timestamp.format(Date()).prefix(10)), records: records,
            hookBinary: hookExe == nil ? "engram hook" : "engram-hook",
            postToolUse: hook, postToolUsePeer: peerHook, postToolUseRatio: peerHook.map { ($0.p50 / hook.p50 * 100).rounded() / 100 },
            sessionStart: BenchStats(startMs),
            postToolUseFullCLI: fullHookMs.isEmpty ? nil : BenchStats(fullHookMs),
            sessionStartFullCLI: fullStartMs.isEmpty ? nil : BenchStats(fullStartMs),
            search: search50, searchQueries: queries, searchMatches: matches, searchPeer: peerSearch,
            searchRatio: peerSearch.map { ($0.p50 / max(search50.p50, 0.001) * 100).rounded() / 100 },
            processItemsPerSecond: (Double(queued) / (processMs / 1000)).rounded(),
            budgets: ["post_tool_use": "p50 ≤ 10 ms", "session_start": "p50 ≤ 40 ms", "search": "p50 ≤ 5 ms"])
    }

    static func postToolUsePayload(project: String) -> Data {
        let patch = (1...30).map { "     line \($0) of the test module" }.joined(separator: "\\n")
        let stdout =
            "============================= test session starts ==============================\\ncollected 7 items\\n\\ntests/test_auth.py ......F\\n\\n=========================== short test summary info ============================\\nFAILED tests/test_auth.py::test_refresh_token_flow - jwt.exceptions.DecodeError: Signature verification failed\\n========================= 1 failed, 6 passed in 0.42s =========================\\n\(patch)"
        return Data(
            """
            {"session_id":"bench-hook","transcript_path":"/tmp/bench.jsonl","cwd":"\(project)","permission_mode":"default","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"pytest tests/test_auth.py -q","description":"Run the auth tests"},"tool_response":{"stdout":"\(stdout)","stderr":"","interrupted":false,"isImage":false},"tool_use_id":"toolu_01BENCH","duration_ms":840}
            """.utf8)
    }

    static func enqueue(_ e: Engram, items: Int, project: String) throws -> Int {
        let payload = String(decoding: postToolUsePayload(project: project), as: UTF8.self)
        guard let v = try? JSONValue.parse(payload) else { return 0 }
        let stored = JSONValue.object([
            "tool_name": "Bash", "tool_input": v["tool_input"]!, "tool_response": v["tool_response"]!,
            "cwd": .string(project),
        ]).serialized()
        let now = Timestamp.format(Date())
        let item = QueueItem(
            createdAt: now, updatedAt: now, sessionId: "bench-process", project: project, hookType: "PostToolUse",
            toolName: "Bash", payload: stored, rawSizeBytes: stored.utf8.count)
        try e.store.load(queueItems: Array(repeating: item, count: items))
        return items
    }

    static func which(_ name: String, env: [String: String]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// The executable a Python launcher ends up running (`sys.executable`), or the launcher when it can't tell.
    static func interpreter(_ launcher: String, env: [String: String]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: launcher)
        p.arguments = ["-c", "import sys; print(sys.executable)"]
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return launcher }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && FileManager.default.isExecutableFile(atPath: path) ? path : launcher
    }

    static func machine() -> String {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)"
    }
}
