import EngramCore
import Foundation
import Testing

/// The worker as a real process on a real Unix socket: API, permissions, single instance, stale recovery.
@Suite(.serialized) struct WorkerLifecycleTests {
    @Test func apiAnswersOnAPrivateSocketAndNeverQueuesItsOwnActivity() throws {
        let h = try WorkerHarness(); defer { h.cleanup() }
        try h.enqueue(3)
        let worker = try h.startWorker()
        let pid = try #require(h.waitHealthy(), "the worker never answered /health")
        #expect(pid == worker.processIdentifier)

        let socketMode = try #require(try FileManager.default.attributesOfItem(atPath: h.paths.workerSocket.path)[.posixPermissions] as? Int)
        let homeMode = try #require(try FileManager.default.attributesOfItem(atPath: h.home.path)[.posixPermissions] as? Int)
        #expect(socketMode & 0o777 == 0o600)
        #expect(homeMode & 0o777 == 0o700)
        let info = try #require(WorkerInfoFile.read(h.paths))
        #expect(info["pid"]?.intValue == Int(pid))
        #expect(try String(contentsOf: h.paths.workerPID, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == String(pid))

        // Another user cannot connect (the directory is 0700, the socket 0600); checked for real when we can switch uid.
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
        {
            let curl = ["--silent", "--max-time", "5", "--unix-socket", h.paths.workerSocket.path, "http://engram/health"]
            #expect(try WorkerHarness.exec("/usr/bin/curl", curl) == 0, "the owner connects")
            let asNobody = try WorkerHarness.exec("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/curl"] + curl)
            #expect(asNobody == 7, "curl as nobody could not connect (exit 7), got \(asNobody)")
        }

        // The three queued items get processed without being asked.
        #expect(h.waitFor(15) { try? h.count("SELECT COUNT(*) FROM observations") == 3 ? true : nil } == true)
        let queued = try h.count("SELECT COUNT(*) FROM pending_queue")

        let c = h.client
        let health = try c.get("/health")
        #expect(health.status == 200 && health.json?["queue"]?["done"]?.intValue == 3)
        let noProject = try c.get("/api/context")
        #expect(noProject.status == 400 && noProject.json?["error"]?.textValue?.contains("project") == true)
        let badBudget = try c.get("/api/context?project=\(h.project.path)&budget=lots")
        #expect(badBudget.status == 400 && badBudget.json?["error"] != nil)
        let context = try c.get("/api/context?project=\(h.project.path)&budget=500")
        #expect(context.status == 200 && context.json?["text"]?.textValue != nil && context.json?["budget"]?.intValue == 500)
        let search = try c.get("/api/search?q=item-1&limit=5")
        #expect(search.status == 200)
        if case .array(let hits)? = search.json { #expect(!hits.isEmpty) } else { Issue.record("search did not answer an array") }
        #expect(try c.get("/api/search").status == 400)
        let missing = try c.get("/api/nothing-here")
        #expect(missing.status == 404 && missing.json?["error"] != nil)
        let badSummary = try c.send(method: "POST", path: "/api/summarize", body: Data("not json".utf8))
        #expect(badSummary.status == 400 && badSummary.json?["error"] != nil)
        #expect(try c.post("/api/summarize", json: ["session_id": "s1"]).status == 202)
        #expect(try c.post("/api/process").status == 202)
        #expect(
            h.waitFor(10) { (try? h.count("SELECT COUNT(*) FROM sessions WHERE id = 's1' AND summary_text IS NOT NULL")) == 1 ? true : nil } == true)
        #expect(try h.count("SELECT COUNT(*) FROM pending_queue") == queued, "the worker's own requests queued nothing")

        // Hooks with the worker up: session-start gets its briefing, stop hands the summary over.
        let brief = try h.run(["hook", "session-start"], stdin: h.hookPayload("SessionStart", session: "s2"))
        #expect(brief.status == 0 && brief.stdout.contains("additionalContext"))
        try h.run(["hook", "user-prompt-submit"], stdin: h.hookPayload("UserPromptSubmit", session: "s2", ["prompt": "tidy the worker"]))
        let stopHook = try h.run(["hook", "stop"], stdin: h.hookPayload("Stop", session: "s2", ["stop_hook_active": false]))
        #expect(stopHook.status == 0 && stopHook.stdout.isEmpty)
        #expect(
            h.waitFor(10) {
                (try? h.count("SELECT COUNT(*) FROM sessions WHERE id = 's2' AND summary_text LIKE '%tidy the worker%'")) == 1 ? true : nil
            } == true)

        let status = try h.run(["worker", "status", "--json"])
        let statusJSON = try JSONValue.parse(status.stdout)
        #expect(status.status == 0 && statusJSON["running"] == .bool(true) && statusJSON["pid"]?.intValue == Int(pid))

        let stop = try h.run(["worker", "stop"])
        #expect(stop.status == 0 && stop.stdout.contains("stopped"))
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        for url in [h.paths.workerSocket, h.paths.workerPID, h.paths.workerInfo] {
            #expect(!FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent) removed on stop")
        }
        #expect(try JSONValue.parse(try h.run(["worker", "status", "--json"]).stdout)["running"] == .bool(false))
    }

    @Test func twoStartsAtTheSameMomentMakeOneWorker() throws {
        let h = try WorkerHarness(); defer { h.cleanup() }
        let a = try h.start(["worker", "start"])
        let b = try h.start(["worker", "start"])
        let ra = WorkerHarness.finish(a.0, a.1, a.2), rb = WorkerHarness.finish(b.0, b.1, b.2)
        #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr) \(rb.stderr)")
        let outputs = [ra.stdout, rb.stdout]
        #expect(outputs.filter { $0.contains("started") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0.contains("already running") }.count == 1, "\(outputs)")
        let pids = outputs.compactMap { $0.split(separator: "pid ").last.flatMap { Int32($0.prefix { $0.isNumber }) } }
        #expect(pids.count == 2 && pids[0] == pids[1], "both name the same worker: \(outputs)")
        let pid = try #require(h.waitHealthy())
        #expect(pids.first == pid)
        // The loser's child exited; the winner is the only process holding this data directory's lock.
        let alone = h.waitFor(5) { WorkerHarness.processes(named: "engram", env: "ENGRAM_HOME=\(h.home.path)") == [pid] ? true : nil }
        #expect(alone == true, "\(WorkerHarness.processes(named: "engram", env: "ENGRAM_HOME=\(h.home.path)"))")
        #expect(try h.run(["worker", "start"]).stdout.contains("already running (pid \(pid))"))
        #expect(try h.run(["worker", "stop"]).status == 0)
        #expect(WorkerHarness.processes(named: "engram", env: "ENGRAM_HOME=\(h.home.path)").isEmpty)
    }

    @Test func aKilledWorkersFilesAreRecoveredByTheNextStart() throws {
        let h = try WorkerHarness(); defer { h.cleanup() }
        let first = try h.startWorker()
        #expect(h.waitHealthy() == first.processIdentifier)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: h.paths.workerSocket.path), "kill -9 leaves the socket behind")
        let status = try JSONValue.parse(try h.run(["worker", "status", "--json"]).stdout)
        #expect(status["running"] == .bool(false) && status["stale"] == .bool(true))
        // Hooks still work with a dead socket on disk (no worker answers, they do it in-process).
        let start = try h.run(["hook", "session-start"], stdin: h.hookPayload("SessionStart", session: "after-kill"))
        #expect(start.status == 0 && start.stdout.contains("additionalContext"))
        let second = try h.startWorker()
        #expect(h.waitHealthy() == second.processIdentifier)
        let again = try h.startWorker()
        again.waitUntilExit()
        #expect(again.terminationStatus == 0, "a second foreground start exits 0")
        #expect(h.waitHealthy() == second.processIdentifier, "and leaves the running worker alone")
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: h.paths.workerSocket.path))
    }
}

extension WorkerLifecycleTests {
    @Test func hooksStartTheWorkerOnDemandAtMostOncePerThrottleWindow() throws {
        let h = try WorkerHarness(extraEnv: ["ENGRAM_WORKER_AUTOSTART": "1"]); defer { h.cleanup() }
        let payload = h.hookPayload(
            "PostToolUse", session: "auto",
            [
                "tool_name": "Bash", "tool_input": ["command": "echo auto"], "tool_response": ["stdout": "auto"], "tool_use_id": "toolu_a",
            ])
        let hook = try h.run(["hook", "post-tool-use"], stdin: payload)
        #expect(hook.status == 0 && hook.stdout.isEmpty && hook.stderr.isEmpty)
        let pid = try #require(h.waitHealthy(), "the hook started a worker")
        // The worker drains what the hook captured.
        #expect(h.waitFor(10) { (try? h.count("SELECT COUNT(*) FROM observations")) == 1 ? true : nil } == true)
        kill(pid, SIGKILL)
        #expect(h.waitFor(5) { WorkerHarness.processes(named: "engram", env: "ENGRAM_HOME=\(h.home.path)").isEmpty ? true : nil } == true)
        try? FileManager.default.removeItem(at: h.paths.workerSocket)
        // Within the throttle window a hook does not start another one.
        #expect(try h.run(["hook", "post-tool-use"], stdin: payload).status == 0)
        #expect(WorkerHarness.processes(named: "engram", env: "ENGRAM_HOME=\(h.home.path)").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: h.paths.workerSocket.path))
    }
}

extension WorkerLifecycleTests {
    @Test func compressPendingCatchesUpByHand() throws {
        let h = try WorkerHarness(); defer { h.cleanup() }
        try h.enqueue(5)
        #expect(try h.run(["compress"]).status == 2, "compress needs --pending")
        let r = try h.run(["compress", "--pending", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try JSONValue.parse(r.stdout)
        #expect(out["processed"]?.intValue == 5 && out["compressor"]?.textValue == "heuristic")
        #expect(try h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'done'") == 5)
        #expect(try JSONValue.parse(try h.run(["compress", "--pending", "--json"]).stdout)["processed"]?.intValue == 0)
    }
}

extension WorkerHarness {
    /// Runs a program with output discarded and returns its exit status.
    static func exec(_ path: String, _ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}

enum WorkerInfoFile {
    static func read(_ paths: EngramPaths) -> JSONValue? {
        guard let text = try? String(contentsOf: paths.workerInfo, encoding: .utf8) else { return nil }
        return try? JSONValue.parse(text)
    }
}

extension WorkerHarness {
    /// Pids of processes named `name` whose environment contains `env` exactly.
    static func processes(named name: String, env: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { return nil }
            // A zombie has no environment; count only live processes.
            let vars = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return vars.contains(env) ? pid : nil
        }.sorted()
    }
}
