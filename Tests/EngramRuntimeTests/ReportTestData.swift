import EngramCore
import EngramSQLite
import Foundation
import GRDB

/// A small, hand-written store for the report tests: two projects, four sessions, a function map
/// across three snapshots, call graphs, learnings and events. Expected numbers in the tests are
/// worked out from this data by hand (see the comments beside each value).
enum ReportTestData {
    static let project = "/projects/shop"
    static let other = "/projects/other"
    /// The fixed "now" of every report test.
    static let now = Timestamp.parse("2026-11-21T12:00:00.000Z")!

    static func store() throws -> EngramStore {
        let store = try EngramStore.inMemory()
        try store.writer.write { db in try seed(db) }
        return store
    }

    static func seed(_ db: Database) throws {
        func session(_ id: String, _ project: String, _ started: String, _ updated: String, _ summary: String?) throws {
            try db.execute(
                sql: """
                    INSERT INTO sessions (id, project, started_at, updated_at, status, summary_text) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, project, started, updated, summary == nil ? "active" : "summarized", summary])
        }
        try session("s1", project, "2026-11-20T08:00:00.000Z", "2026-11-20T09:00:00.000Z", "Set up the auth service.")
        try session("s2", project, "2026-11-21T09:00:00.000Z", "2026-11-21T10:00:00.000Z", "Implemented JWT auth with refresh tokens.")
        try session(
            "s3", project, "2026-11-21T10:30:00.000Z", "2026-11-21T11:30:00.000Z",
            "Added refresh-token rotation, removed the legacy login path and covered the flow with an end-to-end test.")
        try session("s4", other, "2026-11-21T11:00:00.000Z", "2026-11-21T11:10:00.000Z", nil)

        func obs(_ session: String, _ project: String, _ at: String, _ title: String, _ files: [String]) throws {
            try db.execute(
                sql: """
                    INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched)
                    VALUES (?, ?, ?, 'PostToolUse', 'Edit', ?, ?, ?)
                    """, arguments: [session, project, at, title, title, JSONList.encode(files)])
        }
        try obs("s1", project, "2026-11-20T08:10:00.000Z", "Created auth service", ["auth/service.py"])
        try obs("s2", project, "2026-11-21T09:10:00.000Z", "Edited authenticate", ["auth/service.py"])
        try obs("s2", project, "2026-11-21T09:20:00.000Z", "Added login routes", ["auth/routes.py"])
        try obs("s3", project, "2026-11-21T10:35:00.000Z", "Rotated refresh tokens", [project + "/auth/service.py"])
        try obs("s3", project, "2026-11-21T10:40:00.000Z", "Added flow test", ["tests/test_auth.py"])
        try obs("s3", project, "2026-11-21T10:50:00.000Z", "Removed legacy login", ["auth/service.py"])
        try obs("s4", other, "2026-11-21T11:05:00.000Z", "Other work", ["main.py"])

        func fn(
            _ file: String, _ at: String, _ session: String, _ name: String, _ kind: String, _ signature: String,
            _ line: Int, _ change: String
        ) throws {
            try db.execute(
                sql: """
                    INSERT INTO function_map (project, file_path, snapshot_at, session_id, qualified_name, kind, parent_class, signature,
                                              line_start, line_end, body_hash, change_type)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    project, file, at, session, name, kind, name.contains(".") ? "AuthService" : nil, signature,
                    line, line + 5, "h-\(name)-\(at)", change,
                ])
        }
        let t0 = "2026-11-20T08:30:00.000Z", t1 = "2026-11-21T09:30:00.000Z", t2 = "2026-11-21T10:45:00.000Z"
        // t0 is before the 1d window.
        try fn("auth/service.py", t0, "s1", "AuthService", "class", "class AuthService", 1, "new")
        try fn("auth/service.py", t0, "s1", "AuthService.authenticate", "method", "authenticate(self, email: str, password: str) -> Token", 10, "new")
        try fn("auth/service.py", t0, "s1", "AuthService._validate_password", "method", "_validate_password(self, password: str) -> bool", 20, "new")
        try fn("auth/service.py", t0, "s1", "AuthService.legacy_login", "method", "legacy_login(self, user)", 45, "new")
        // t1 (session s2).
        try fn("auth/service.py", t1, "s2", "AuthService", "class", "class AuthService", 1, "unchanged")
        try fn(
            "auth/service.py", t1, "s2", "AuthService.authenticate", "method", "authenticate(self, email: str, password: str) -> Token", 10,
            "modified")
        try fn(
            "auth/service.py", t1, "s2", "AuthService._validate_password", "method", "_validate_password(self, password: str) -> bool", 20,
            "unchanged")
        try fn("auth/service.py", t1, "s2", "AuthService.refresh_token", "method", "refresh_token(self, token: str) -> Token", 30, "new")
        try fn("auth/service.py", t1, "s2", "AuthService.legacy_login", "method", "legacy_login(self, user)", 45, "unchanged")
        try fn("auth/routes.py", t1, "s2", "login_endpoint", "async_function", "login_endpoint(request: Request) -> Response", 5, "new")
        try fn("auth/routes.py", t1, "s2", "refresh_endpoint", "async_function", "refresh_endpoint(request: Request) -> Response", 10, "new")
        // t2 (session s3): refresh_token edited again, legacy_login removed, a test added.
        try fn("auth/service.py", t2, "s3", "AuthService", "class", "class AuthService", 1, "unchanged")
        try fn(
            "auth/service.py", t2, "s3", "AuthService.authenticate", "method", "authenticate(self, email: str, password: str) -> Token", 10,
            "unchanged")
        try fn(
            "auth/service.py", t2, "s3", "AuthService._validate_password", "method", "_validate_password(self, password: str) -> bool", 20,
            "unchanged")
        try fn(
            "auth/service.py", t2, "s3", "AuthService.refresh_token", "method", "refresh_token(self, token: str, rotate: bool = True) -> Token", 30,
            "modified")
        try fn("auth/service.py", t2, "s3", "AuthService.legacy_login", "method", "legacy_login(self, user)", 45, "deleted")
        try fn("tests/test_auth.py", t2, "s3", "test_refresh_token_flow", "function", "test_refresh_token_flow()", 3, "new")

        func call(
            _ file: String, _ at: String, _ session: String, _ caller: String, _ callee: String, _ resolved: String?,
            _ resolution: String, _ line: Int
        ) throws {
            try db.execute(
                sql: """
                    INSERT INTO call_graph (project, session_id, snapshot_at, caller_file, caller_name, callee_name, callee_resolved, resolution, line_number)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [project, session, at, file, caller, callee, resolved, resolution, line])
        }
        // t1 snapshot of auth/service.py: superseded by t2, so it must not show up anywhere.
        try call(
            "auth/service.py", t1, "s2", "AuthService.authenticate", "self._validate_password()", "AuthService._validate_password", "self_method", 12)
        try call("auth/service.py", t1, "s2", "AuthService.authenticate", "mongo.find()", nil, "unresolved", 13)
        // t2 snapshot of auth/service.py.
        try call(
            "auth/service.py", t2, "s3", "AuthService.authenticate", "self._validate_password()", "AuthService._validate_password", "self_method", 12)
        try call("auth/service.py", t2, "s3", "AuthService.authenticate", "db.query()", nil, "unresolved", 13)
        try call("auth/service.py", t2, "s3", "AuthService.authenticate", "Token.create()", "auth.tokens.Token.create", "import", 14)
        try call("auth/service.py", t2, "s3", "AuthService.refresh_token", "self.authenticate()", "AuthService.authenticate", "self_method", 32)
        try call("auth/service.py", t2, "s3", "AuthService.refresh_token", "Token.refresh()", "auth.tokens.Token.refresh", "import", 33)
        try call("auth/service.py", t2, "s3", "AuthService.refresh_token", "cache.get()", nil, "unresolved", 34)
        // auth/routes.py, only scanned at t1.
        try call("auth/routes.py", t1, "s2", "login_endpoint", "service.authenticate()", "auth.service.AuthService.authenticate", "import", 6)
        try call("auth/routes.py", t1, "s2", "login_endpoint", "db.query()", nil, "unresolved", 7)
        try call("auth/routes.py", t1, "s2", "refresh_endpoint", "service.refresh_token()", "auth.service.AuthService.refresh_token", "import", 11)
        // tests/test_auth.py at t2.
        try call(
            "tests/test_auth.py", t2, "s3", "test_refresh_token_flow", "AuthService.refresh_token()", "auth.service.AuthService.refresh_token",
            "import", 4)
        try call("tests/test_auth.py", t2, "s3", "test_refresh_token_flow", "client.post()", nil, "unresolved", 5)
        try call("tests/test_auth.py", t2, "s3", "test_refresh_token_flow", "client.post()", nil, "unresolved", 6)

        func learning(
            _ project: String?, _ category: String, _ content: String, _ confidence: Double, _ seen: Int,
            manual: Bool = false, active: Bool = true
        ) throws {
            try db.execute(
                sql: """
                    INSERT INTO learnings (project, created_at, updated_at, category, content, confidence, times_seen, is_manual, is_active)
                    VALUES (?, '2026-11-19T10:00:00.000Z', '2026-11-21T10:00:00.000Z', ?, ?, ?, ?, ?, ?)
                    """, arguments: [project, category, content, confidence, seen, manual, active])
        }
        try learning(project, "architecture", "FastAPI + SQLAlchemy, Alembic migrations", 0.95, 5)
        try learning(project, "convention", "JWT in HttpOnly cookies", 0.85, 3)
        try learning(
            nil, "pattern", "All services use dependency injection via FastAPI Depends() and are constructed once per request by the router", 0.7, 2)
        try learning(project, "gotcha", "Token clock skew breaks tests near midnight", 1.0, 1, manual: true)
        try learning(project, "convention", "An old rule nobody follows", 0.9, 4, active: false)
        try learning(other, "architecture", "Another project's stack", 0.99, 6)
        try learning(project, "dependency", "pydantic v2 only", 0.5, 1)
        try learning(project, "gotcha", "Run alembic upgrade head before tests", 0.5, 1)

        func event(
            _ at: String, _ type: String, _ data: JSONValue, project: String? = ReportTestData.project,
            ms: Int? = nil, tin: Int? = nil, tout: Int? = nil
        ) throws {
            try db.execute(
                sql: """
                    INSERT INTO event_log (timestamp, session_id, project, event_type, data, duration_ms, tokens_in, tokens_out)
                    VALUES (?, NULL, ?, ?, ?, ?, ?, ?)
                    """, arguments: [at, project, type, data.serialized(), ms, tin, tout])
        }
        try event("2026-11-10T09:00:00.000Z", "compress.done", ["ratio": 100], ms: 999) // before 7d
        try event("2026-11-20T09:00:00.000Z", "compress.done", ["ratio": 40], ms: 100) // in 7d, not in 1d
        try event("2026-11-21T09:10:00.000Z", "compress.done", ["ratio": 30, "cost_usd": 0.002], ms: 80, tin: 1000, tout: 200)
        try event("2026-11-21T10:40:00.000Z", "compress.done", ["ratio": 20, "cost_usd": 0.004], ms: 60, tin: 3000, tout: 600)
        try event("2026-11-21T10:41:00.000Z", "compress.error", ["error": "timeout"])
        try event("2026-11-21T10:42:00.000Z", "compress.done", ["ratio": 5], project: other, ms: 5)
        try event("2026-11-21T09:00:00.000Z", "context.token_budget", ["total_tokens": 1800, "budget": 2000])
        try event("2026-11-21T10:30:00.000Z", "context.token_budget", ["total_tokens": 1900, "budget": 2000])
        try event("2026-11-21T09:15:00.000Z", "search.query", ["result_count": 4], ms: 10)
        try event("2026-11-21T09:16:00.000Z", "search.query", ["result_count": 5], ms: 20)
        try event("2026-11-21T09:17:00.000Z", "search.query", ["result_count": 4], ms: 15)
        try event("2026-11-21T09:30:00.000Z", "ast.scan", ["call_edges": 10, "unresolved_calls": 2])
        try event("2026-11-21T10:45:00.000Z", "ast.scan", ["call_edges": 5, "unresolved_calls": 1])
        try event("2026-11-21T10:46:00.000Z", "ast.scan", ["call_edges": 5, "unresolved_calls": 1])
        try event("2026-11-21T11:30:00.000Z", "hook.summary", ["cost_usd": 0.001], ms: 900, tin: 500, tout: 100)
    }
}
