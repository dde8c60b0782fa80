import EngramTestSupport
import Foundation
import Testing

/// Runs the built `engram` binary as a real process, with its own temporary data dir.
struct CLIRunner {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    let root: URL
    var env: [String: String]

    var home: URL { root.appendingPathComponent("home") }
    var project: URL { root.appendingPathComponent("project") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("project/.git"), withIntermediateDirectories: true)
        var e = ProcessInfo.processInfo.environment
        e["ENGRAM_HOME"] = root.appendingPathComponent("home").path
        e.removeValue(forKey: "ENGRAM_DISABLED")
        // Hooks must not leave a background worker behind a test.
        e["ENGRAM_WORKER_AUTOSTART"] = "0"
        env = e
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    static var binary: URL { EngramProcess.binary }

    func start(_ args: [String], stdin: Data? = nil, executable: URL = EngramProcess.binary) throws -> (Process, Pipe, Pipe) {
        try EngramProcess.start(args, env: env, cwd: project, stdin: stdin, executable: executable)
    }

    @discardableResult
    func run(_ args: [String], stdin: Data? = nil, executable: URL = EngramProcess.binary) throws -> Result {
        let (p, out, err) = try start(args, stdin: stdin, executable: executable)
        // Read before waiting so a large output can't fill the pipe and deadlock.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// How a hook is run: `engram hook EVENT` by the full CLI, `engram-hook EVENT` by the slim binary.
    enum HookBinary: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case full, slim
        var executable: URL { self == .full ? EngramProcess.binary : EngramProcess.hookBinary }
        func arguments(_ event: String) -> [String] { self == .full ? ["hook", event] : [event] }
        var testDescription: String { self == .full ? "engram hook" : "engram-hook" }
    }

    @discardableResult
    func hook(_ event: String, _ stdin: Data, via binary: HookBinary) throws -> Result {
        try run(binary.arguments(event), stdin: stdin, executable: binary.executable)
    }

    func hookPayload(_ event: String, session: String, _ extra: [String: Any] = [:]) -> Data {
        var o: [String: Any] = [
            "session_id": session, "transcript_path": root.path + "/t.jsonl", "cwd": project.path,
            "hook_event_name": event, "permission_mode": "default",
        ]
        for (k, v) in extra { o[k] = v }
        return try! JSONSerialization.data(withJSONObject: o)
    }
}
