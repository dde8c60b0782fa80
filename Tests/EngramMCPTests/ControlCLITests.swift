import EngramCore
import EngramTestSupport
import Foundation
import GRDB
import Testing

/// `engram forget`, `engram project` and `engram doctor` as real processes.
@Suite struct ControlCLITests {
    func run(_ env: MCPTestEnv, _ args: [String], extra: [String: String] = [:]) throws -> EngramProcess.Result {
        try EngramProcess.run(args, env: env.env.merging(extra) { $1 }, cwd: env.project)
    }

    @Test func forgetObservationSessionAndProject() throws {
        let env = try MCPTestEnv()
        try env.seed()
        let one = try run(env, ["forget", "#2", "--json"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(try JSONValue.parse(one.stdout)["deleted"]?["observations"] == .number(1))
        let missing = try run(env, ["forget", "#2"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Not found"))
        let session = try run(env, ["forget", "session:s2", "--json"])
        #expect(try JSONValue.parse(session.stdout)["deleted"]?["sessions"] == .number(1))
        let unconfirmed = try run(env, ["forget", "--project", env.project.path, "--all"])
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("--yes"))
        let all = try run(env, ["forget", "--project", env.project.path, "--all", "--yes", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let left = try env.engram().store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM observations WHERE project = ?", arguments: [env.projectKey])
        }
        #expect(left == 0)
        let usage = try run(env, ["forget"])
        #expect(usage.status == 2)
    }

    @Test func projectDisableIsHonouredByHooks() throws {
        let env = try MCPTestEnv()
        let off = try run(env, ["project", "disable", "--json"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try JSONValue.parse(off.stdout)["capturing"] == .bool(false))
        // Nothing is written into the project folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: env.project.path).sorted() == [".git", "app"])
        let payload = #"{"session_id":"s1","cwd":"\#(env.project.path)","hook_event_name":"UserPromptSubmit","prompt":"hello"}"#
        let p = Process()
        p.executableURL = EngramProcess.binary
        p.arguments = ["hook", "user-prompt-submit"]
        p.environment = ProcessInfo.processInfo.environment.merging(env.env) { $1 }
        let inPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        inPipe.fileHandleForWriting.write(Data(payload.utf8))
        try inPipe.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: env.home.appendingPathComponent("engram.sqlite").path))
        let on = try run(env, ["project", "enable", "--json"])
        #expect(try JSONValue.parse(on.stdout)["capturing"] == .bool(true))
        let status = try run(env, ["project", "status", "--json"], extra: ["ENGRAM_DISABLED": "1"])
        #expect(try JSONValue.parse(status.stdout)["disabled_by_environment"] == .bool(true))
    }

    @Test func doctorPassesOnAHealthySetupAndFailsOnACorruptDatabase() throws {
        let env = try MCPTestEnv()
        try env.seed()
        let settings = env.root.appendingPathComponent("settings.json")
        try Data(#"{"hooks":{}}"#.utf8).write(to: settings)
        let ok = try run(env, ["doctor", "--json", "--settings", settings.path], extra: ["ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": ""])
        #expect(ok.status == 0, "\(ok.stdout)")
        let report = try JSONValue.parse(ok.stdout)
        let checks = Dictionary(
            uniqueKeysWithValues: (report["checks"]?.arrayValue ?? []).compactMap { c in
                c["name"]?.stringValue.map { ($0, c["status"]?.stringValue ?? "") }
            })
        #expect(checks["database integrity"] == "ok")
        #expect(checks["migrations"] == "ok")
        #expect(checks["data directory"] == "ok")
        #expect(checks["worker"] == "warn")
        // No key anywhere: the LLM check states the local policy (no warning: heuristics are a supported setup).
        #expect(checks["LLM"] == "ok")
        #expect(checks["Claude Code hooks"] == "warn")
        #expect(!ok.stdout.contains("sk-"))

        // Overwrite the middle of the database: quick_check or opening must fail, and doctor exits 1.
        let db = env.home.appendingPathComponent("engram.sqlite")
        var bytes = try Data(contentsOf: db)
        let start = min(bytes.count, 4096)
        bytes.replaceSubrange(start..<min(bytes.count, start + 8192), with: Data(repeating: 0xAB, count: min(bytes.count, start + 8192) - start))
        try? FileManager.default.removeItem(at: db.deletingLastPathComponent().appendingPathComponent("engram.sqlite-wal"))
        try? FileManager.default.removeItem(at: db.deletingLastPathComponent().appendingPathComponent("engram.sqlite-shm"))
        try bytes.write(to: db)
        let bad = try run(env, ["doctor", "--json", "--settings", settings.path])
        #expect(bad.status == 1)
        let badChecks = try JSONValue.parse(bad.stdout)["checks"]?.arrayValue ?? []
        #expect(badChecks.contains { $0["name"] == "database integrity" && $0["status"] == "fail" })
    }
}
