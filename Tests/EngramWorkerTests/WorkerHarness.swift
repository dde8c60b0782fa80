import EngramCore
import EngramTestSupport
import Foundation
import GRDB

/// A temporary data directory with real `engram` processes: the worker in the foreground
/// (so the test knows its pid) and CLI commands, all with their own ENGRAM_HOME.
final class WorkerHarness: @unchecked Sendable {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    let root: URL
    var env: [String: String]
    var home: URL { root.appendingPathComponent("home") }
    var project: URL { root.appendingPathComponent("project") }
    var paths: EngramPaths { EngramPaths(home: home) }
    private var workers: [Process] = []

    init(extraEnv: [String: String] = [:]) throws {
        // Short: a Unix socket path must fit in 108 bytes.
        root = URL(fileURLWithPath: "/tmp").appendingPathComponent("ew-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("project/.git"), withIntermediateDirectories: true)
        var e = ProcessInfo.processInfo.environment
        for k in ["ENGRAM_DISABLED", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL"] { e.removeValue(forKey: k) }
        e["ENGRAM_HOME"] = root.appendingPathComponent("home").path
        e["ENGRAM_LLM_PROVIDER"] = "none"
        e["ENGRAM_WORKER_POLL_SECONDS"] = "0.2"
        e["ENGRAM_WORKER_AUTOSTART"] = "0"
        for (k, v) in extraEnv { e[k] = v }
        env = e
    }

    /// Kills any worker this harness started and removes the directory.
    func cleanup() {
        for p in workers where p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    static var binary: URL { EngramProcess.binary }

    /// Starts `engram worker start --foreground`, output to files (never a pipe a test could forget to drain).
    func startWorker() throws -> Process {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = ["worker", "start", "--foreground"]
        p.environment = env
        p.currentDirectoryURL = project
        let log = root.appendingPathComponent("worker-\(workers.count).out")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        workers.append(p)
        return p
    }

    func start(_ args: [String], stdin: Data? = nil) throws -> (Process, Pipe, Pipe) {
        try EngramProcess.start(args, env: env, cwd: project, stdin: stdin)
    }

    @discardableResult
    func run(_ args: [String], stdin: Data? = nil) throws -> Result {
        let (p, out, err) = try start(args, stdin: stdin)
        return Self.finish(p, out, err)
    }

    static func finish(_ p: Process, _ out: Pipe, _ err: Pipe) -> Result {
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    var client: WorkerClient { WorkerClient(paths: paths, timeout: .seconds(5)) }

    /// Polls /health until it answers 200 or the deadline passes; returns the pid it reports.
    func waitHealthy(within seconds: Double = 20) -> Int32? {
        waitFor(seconds) {
            guard let r = try? WorkerClient(paths: self.paths, timeout: .milliseconds(500)).get("/health"), r.status == 200 else { return nil }
            return r.json?["pid"]?.intValue.map { Int32($0) }
        }
    }

    /// Polls `probe` (every 20 ms) until it returns a value or `seconds` pass.
    func waitFor<T>(_ seconds: Double, _ probe: () throws -> T?) rethrows -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let v = try probe() { return v }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    func db() throws -> DatabaseQueue {
        var config = Configuration()
        config.busyMode = .timeout(10)
        return try DatabaseQueue(path: home.appendingPathComponent("engram.sqlite").path, configuration: config)
    }

    /// Queues `count` Bash tool events for `session` through the real capture path.
    func enqueue(_ count: Int, session: String = "s1", offset: Int = 0) throws {
        let engram = try Engram.open(env: env)
        let capture = CaptureService(engram)
        try capture.touchSession(session, project: self.project.path)
        for i in offset..<(offset + count) {
            _ = try capture.enqueueToolEvent(
                sessionID: session, project: project.path, toolName: "Bash",
                input: .object(["command": .string("echo item-\(i)")]),
                response: .object(["stdout": .string("item-\(i) ok"), "stderr": ""]),
                cwd: project.path, toolUseID: "toolu_\(i)", durationMs: 5, rawSize: 100)
        }
    }

    func count(_ sql: String) throws -> Int {
        try db().read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    func hookPayload(_ event: String, session: String, _ extra: [String: Any] = [:]) -> Data {
        var o: [String: Any] = ["session_id": session, "transcript_path": root.path + "/t.jsonl", "cwd": project.path, "hook_event_name": event]
        for (k, v) in extra { o[k] = v }
        return (try? JSONSerialization.data(withJSONObject: o)) ?? Data()
    }

    static func threads(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").count) ?? -1
    }

    /// Processes whose parent is `pid`.
    static func children(_ pid: Int32) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { name in
            guard Int32(name) != nil, let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid
        }.count
    }

    /// VmRSS in kB.
    static func rssKB(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
