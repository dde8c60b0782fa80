import EngramCore
import Foundation
import GRDB
import Testing

@Suite struct ForgetServiceTests {
    func count(_ e: Engram, _ sql: String, _ args: StatementArguments = []) throws -> Int {
        try e.store.writer.read { db in try Int.fetchOne(db, sql: sql, arguments: args) ?? -1 }
    }

    func ftsMatches(_ e: Engram, _ word: String) throws -> [String] {
        try e.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT kind || ':' || ref FROM memory_fts WHERE memory_fts MATCH ? ORDER BY rowid", arguments: [word])
        }
    }

    @Test func forgettingAnObservationRemovesItsRowAndIndexEntry() throws {
        let env = try MCPTestEnv()
        let e = try env.seed()
        #expect(try ftsMatches(e, "race") == ["observation:2"])
        let report = try ForgetService(e).forget(try .parse("#2"))
        #expect(report.deleted["observations"] == 1)
        #expect(try ftsMatches(e, "race").isEmpty)
        #expect(try count(e, "SELECT count(*) FROM observations") == 4)
        #expect(throws: EngramError.self) { try ForgetService(e).forget(.observation(2)) }
    }

    @Test func forgettingASessionRemovesEverythingOfIt() throws {
        let env = try MCPTestEnv()
        let e = try env.seed()
        try e.store.writer.write { db in
            // Every observation has a vector: the session's must go with it (the embeddings' delete triggers).
            try db.execute(
                sql: """
                    INSERT INTO embeddings(kind, ref, fts_rowid, model, dims, vector, status, updated_at)
                    SELECT 'observation', CAST(id AS TEXT), id * 4, 'm', 1, x'00000000', 'done', created_at FROM observations
                    """)
        }
        let report = try ForgetService(e).forget(try .parse("session:s1"))
        #expect(report.deleted["observations"] == 3)
        for table in ["user_prompts", "pending_queue", "function_map", "event_log", "sessions"] {
            #expect(report.deleted[table] ?? 0 > 0, "\(table)")
        }
        #expect(try count(e, "SELECT count(*) FROM observations WHERE session_id = 's1'") == 0)
        #expect(try count(e, "SELECT count(*) FROM call_graph WHERE session_id = 's1'") == 0)
        #expect(try count(e, "SELECT count(*) FROM memory_fts WHERE ref = 's1'") == 0)
        #expect(try count(e, "SELECT count(*) FROM embeddings") == 2)
        #expect(try count(e, "SELECT count(*) FROM embeddings WHERE ref IN (SELECT CAST(id AS TEXT) FROM observations)") == 2)
        // The other session of the project, and the other project, are untouched.
        #expect(try count(e, "SELECT count(*) FROM observations") == 2)
        #expect(try count(e, "SELECT count(*) FROM learnings") == 2)
    }

    @Test func forgettingAProjectLeavesOtherProjectsAlone() throws {
        let env = try MCPTestEnv()
        let e = try env.seed()
        _ = try MemoryService(e).save(text: "project memory", project: env.projectKey)
        _ = try MemoryService(e).save(text: "other memory", project: env.otherProjectKey)
        let report = try ForgetService(e).forget(.project(env.projectKey))
        #expect(report.deleted["observations"] == 4)
        #expect(report.deleted["sessions"] == 2)
        #expect(report.deleted["learnings"] == 1)
        #expect(report.deleted["memories"] == 1)
        #expect(report.deleted["call_graph"] == 3)
        for table in [
            "observations", "sessions", "user_prompts", "pending_queue", "function_map", "call_graph", "learnings", "event_log", "memories",
        ] {
            let left = try count(
                e, "SELECT count(*) FROM \(table) WHERE " + (table == "user_prompts" ? "session_id IN ('s1','s2')" : "project = ?"),
                table == "user_prompts" ? [] : [env.projectKey])
            #expect(left == 0, "\(table) still has rows of the project")
        }
        #expect(try ftsMatches(e, "token") == ["observation:5"])
        #expect(try count(e, "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'memory'") == 1)
        #expect(try count(e, "SELECT count(*) FROM event_log") == 1)
    }

    @Test(arguments: ["", "session:", "L7", "abc", "#0"])
    func unreadableTargetsAreRejected(_ text: String) {
        #expect(throws: EngramError.self) { try ForgetService.Target.parse(text) }
    }
}

@Suite struct ProjectOptOutTests {
    @Test func disabledProjectIsSkippedByEveryHookWithoutOpeningTheDatabase() async throws {
        let env = try MCPTestEnv()
        let optOut = ProjectOptOut(paths: EngramPaths.fromEnvironment(env.env))
        #expect(try optOut.disable(env.project.path))
        #expect(try optOut.disable(env.project.path + "/") == false)
        let runner = HookRunner(env: env.env)
        let payload: [String: Any] = ["session_id": "s9", "cwd": env.project.path, "hook_event_name": "SessionStart", "source": "startup"]
        let data = try JSONSerialization.data(withJSONObject: payload)
        for event in HookRunner.Event.allCases {
            let out = await runner.run(event: event.rawValue, stdin: data)
            #expect(out.stdout == nil)
        }
        #expect(!FileManager.default.fileExists(atPath: env.home.appendingPathComponent("engram.sqlite").path))
        #expect(try optOut.enable(env.project.path))
        let out = await runner.run(event: "session-start", stdin: data)
        #expect(out.stdout?.contains("additionalContext") == true)
        #expect(optOut.list().isEmpty)
    }
}
