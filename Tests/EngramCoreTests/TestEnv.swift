import Foundation

@testable import EngramCore

/// A temporary data directory and project for one test; removed when the value is released.
final class TestEnv: @unchecked Sendable {
    let root: URL
    let home: URL
    let project: URL
    var env: [String: String]

    init(clock: Date? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-test-\(UUID().uuidString)")
        home = root.appendingPathComponent("home")
        project = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true)
        env = ["ENGRAM_HOME": home.path, "HOME": root.path]
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func engram(clock: EngramClock = .system, compressor: (any Compressor)? = nil) throws -> Engram {
        let base = try Engram.open(env: env, clock: clock)
        guard let compressor else { return base }
        return Engram(paths: base.paths, config: base.config, store: base.store, clock: clock, compressor: compressor)
    }

    func runner(clock: EngramClock = .system) -> HookRunner { HookRunner(env: env, clock: clock) }

    /// A hook payload as Claude Code sends it.
    func payload(_ event: String, session: String = "sess-1", _ extra: [String: JSONValue] = [:]) -> Data {
        var o: [String: JSONValue] = [
            "session_id": .string(session), "transcript_path": .string(root.path + "/t.jsonl"),
            "cwd": .string(project.path), "permission_mode": "default", "hook_event_name": .string(event),
        ]
        for (k, v) in extra { o[k] = v }
        return Data(JSONValue.object(o).serialized().utf8)
    }

    func toolPayload(_ tool: String, input: JSONValue, response: JSONValue, session: String = "sess-1") -> Data {
        payload(
            "PostToolUse", session: session,
            [
                "tool_name": .string(tool), "tool_input": input, "tool_response": response,
                "tool_use_id": "toolu_01", "duration_ms": 12,
            ])
    }
}
