import EngramCore
import Foundation
import GRDB

/// A temporary data directory for one in-process test; removed when released.
final class RuntimeEnv: @unchecked Sendable {
    let root: URL
    let project: URL
    var env: [String: String]

    init(_ extra: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-rt-\(UUID().uuidString)")
        project = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true)
        env = ["ENGRAM_HOME": root.appendingPathComponent("home").path, "HOME": root.path, "ENGRAM_LLM_PROVIDER": "none"]
        for (k, v) in extra { env[k] = v }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func engram() throws -> Engram { try Engram.open(env: env) }

    /// Queues one Bash event per command for `session`.
    func enqueue(_ engram: Engram, session: String, commands: [String]) throws {
        let capture = CaptureService(engram)
        try capture.touchSession(session, project: self.project.path)
        for (i, c) in commands.enumerated() {
            _ = try capture.enqueueToolEvent(
                sessionID: session, project: project.path, toolName: "Bash",
                input: .object(["command": .string(c)]), response: .object(["stdout": "ok", "stderr": ""]),
                cwd: project.path, toolUseID: "\(session)-\(i)", durationMs: 3, rawSize: 60)
        }
    }

    func scalar(_ engram: Engram, _ sql: String) throws -> Int {
        try engram.store.writer.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    func text(_ engram: Engram, _ sql: String) throws -> String? {
        try engram.store.writer.read { try String.fetchOne($0, sql: sql) }
    }
}
