import EngramCore
import Foundation
import GRDB

/// A temporary data directory and project with a small, known history: two sessions in
/// the project, one elsewhere, code intelligence for `app/auth.py`, a learning.
final class MCPTestEnv: @unchecked Sendable {
    let root: URL
    let home: URL
    let project: URL
    let outside: URL
    var env: [String: String]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-mcp-\(UUID().uuidString)")
        home = root.appendingPathComponent("home")
        project = root.appendingPathComponent("project")
        outside = root.appendingPathComponent("outside")
        let fm = FileManager.default
        try fm.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try fm.createDirectory(at: project.appendingPathComponent("app"), withIntermediateDirectories: true)
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret = 1\n".utf8).write(to: outside.appendingPathComponent("secret.py"))
        env = ["ENGRAM_HOME": home.path, "HOME": root.path]
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The project key as hooks store it.
    var projectKey: String { ProjectLocator.root(for: project.path) }
    var otherProjectKey: String { outside.path }

    func engram() throws -> Engram { try Engram.open(env: env) }

    func write(_ relative: String, _ text: String) throws {
        let url = project.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Observations #1–#3 in session s1 (project), #4 in session s2 (project), #5 in s-other (another project).
    @discardableResult
    func seed() throws -> Engram {
        let e = try engram()
        let p = projectKey, o = otherProjectKey
        try e.store.writer.write { db in
            func session(_ id: String, _ project: String, _ start: String, _ end: String?) throws {
                try db.execute(
                    sql: """
                        INSERT INTO sessions(id, project, started_at, updated_at, ended_at, status, source, summary_text)
                        VALUES (?, ?, ?, ?, ?, 'summarized', 'startup', ?)
                        """, arguments: [id, project, start, end ?? start, end, "Session \(id) worked on authentication"])
            }
            try session("s1", p, "2026-11-20T10:00:00.000Z", "2026-11-20T11:00:00.000Z")
            try session("s2", p, "2026-11-21T09:00:00.000Z", nil)
            try session("s-other", o, "2026-11-20T10:30:00.000Z", nil)
            try db.execute(
                sql: "INSERT INTO user_prompts(session_id, created_at, prompt) VALUES ('s1', '2026-11-20T10:01:00.000Z', 'fix the token refresh bug')"
            )
            func obs(_ session: String, _ project: String, _ at: String, _ title: String, _ files: [String]) throws {
                try db.execute(
                    sql: """
                        INSERT INTO observations(session_id, project, created_at, hook_type, tool_name, title, summary, detail, files_touched)
                        VALUES (?, ?, ?, 'PostToolUse', 'Edit', ?, ?, 'detail text', ?)
                        """, arguments: [session, project, at, title, "Summary of: " + title, JSONList.encode(files)])
            }
            try obs("s1", p, "2026-11-20T10:05:00.000Z", "Read the token refresh code", ["app/auth.py"])
            try obs("s1", p, "2026-11-20T10:10:00.000Z", "Fixed token refresh race in authenticate", ["app/auth.py"])
            try obs("s1", p, "2026-11-20T10:20:00.000Z", "Added a regression test for token refresh", ["tests/test_auth.py"])
            try obs("s2", p, "2026-11-21T09:05:00.000Z", "Renamed the database helper", ["app/db.py"])
            try obs("s-other", o, "2026-11-20T10:31:00.000Z", "Token refresh in the other project", ["other.py"])
            try db.execute(
                sql: """
                    INSERT INTO pending_queue(created_at, updated_at, session_id, project, hook_type, tool_name, payload, status)
                    VALUES ('2026-11-20T10:21:00.000Z', '2026-11-20T10:21:00.000Z', 's1', ?, 'PostToolUse', 'Bash', '{}', 'pending')
                    """, arguments: [p])
            try db.execute(
                sql: """
                    INSERT INTO event_log(timestamp, session_id, project, event_type, data) VALUES
                    ('2026-11-20T10:05:00.000Z', 's1', ?, 'hook.post_tool_use', '{}'),
                    ('2026-11-20T10:31:00.000Z', 's-other', ?, 'hook.post_tool_use', '{}')
                    """, arguments: [p, o])
            for (snapshot, change) in [("2026-11-20T10:00:00.000Z", "new"), ("2026-11-20T10:10:00.000Z", "modified")] {
                try db.execute(
                    sql: """
                        INSERT INTO function_map(project, file_path, snapshot_at, session_id, qualified_name, kind, parent_class, signature,
                                                 line_start, line_end, body_hash, change_type)
                        VALUES (?, 'app/auth.py', ?, 's1', 'AuthService.authenticate', 'method', 'AuthService',
                                'authenticate(self, email: str) -> Token', 3, 9, ?, ?)
                        """, arguments: [p, snapshot, "h-" + change, change])
                try db.execute(
                    sql: """
                        INSERT INTO call_graph(project, session_id, snapshot_at, caller_file, caller_name, callee_name, callee_resolved, resolution, line_number)
                        VALUES (?, 's1', ?, 'app/auth.py', 'AuthService.authenticate', 'self.validate', 'app.auth.AuthService.validate', 'self_method', 5)
                        """, arguments: [p, snapshot])
            }
            try db.execute(
                sql: """
                    INSERT INTO call_graph(project, session_id, snapshot_at, caller_file, caller_name, callee_name, callee_resolved, resolution, line_number)
                    VALUES (?, 's2', '2026-11-21T09:05:00.000Z', 'app/views.py', 'login', 'service.authenticate', 'app.auth.AuthService.authenticate', 'import', 12)
                    """, arguments: [p])
            try db.execute(
                sql: """
                    INSERT INTO learnings(project, created_at, updated_at, category, content, confidence) VALUES
                    (?, '2026-11-20T11:00:00.000Z', '2026-11-20T11:00:00.000Z', 'gotcha', 'Token refresh must hold the session lock', 0.7),
                    (?, '2026-11-20T11:00:00.000Z', '2026-11-20T11:00:00.000Z', 'convention', 'The other project uses tabs', 0.5)
                    """, arguments: [p, o])
        }
        return e
    }
}
