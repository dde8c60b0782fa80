import Foundation
import GRDB
import Testing

@testable import EngramCore

@Suite struct TokenEstimatorTests {
    @Test(arguments: [
        ("", 0), ("a", 1), ("abcd", 1), ("abcde", 2), (String(repeating: "x", count: 400), 100),
        ("日本語", 3), ("héllo", 2), ("🙂🙂", 2),
    ])
    func estimates(text: String, tokens: Int) {
        #expect(TokenEstimator.estimate(text) == tokens)
    }

    @Test func summingPartsNeverUnderestimatesTheWhole() {
        let parts = ["## Recent sessions\n", "- [2h ago] Did things\n", "- #12 [1h ago] Edited app.py: added f\n", "日本\n"]
        #expect(parts.map(TokenEstimator.estimate).reduce(0, +) >= TokenEstimator.estimate(parts.joined()))
    }
}

@Suite struct ContextBuilderTests {
    /// Seeds a project with sessions, observations and learnings, as hooks and processing would.
    func seed(_ e: Engram, project: String, sessions: Int, obsPerSession: Int) throws {
        try e.store.writer.write { db in
            for s in 0..<sessions {
                let sid = "s\(s)"
                let t = Timestamp.format(Date().addingTimeInterval(Double(-3600 * (sessions - s))))
                try db.execute(
                    sql: "INSERT INTO sessions (id, project, started_at, updated_at, summary_text) VALUES (?, ?, ?, ?, ?)",
                    arguments: [sid, project, t, t, "Session \(s): worked on the auth service, refresh tokens and tests for module \(s)."])
                for o in 0..<obsPerSession {
                    try db.execute(
                        sql: """
                            INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched)
                            VALUES (?, ?, ?, 'PostToolUse', ?, ?, 'summary', ?)
                            """,
                        arguments: [
                            sid, project, t, o % 2 == 0 ? "Edit" : "Read",
                            "Edited app/module\(o).py: added function_number_\(o) in session \(s)", "[\"app/module\(o).py\"]",
                        ])
                }
            }
            for l in 0..<12 {
                try db.execute(
                    sql:
                        "INSERT INTO learnings (project, created_at, updated_at, category, content, confidence) VALUES (?, 't', 't', 'convention', ?, ?)",
                    arguments: [project, "Learning number \(l): services take their dependencies in the initializer", 0.5 + Double(l) / 30])
            }
        }
    }

    @Test(arguments: [100, 300, 800, 2000, 5000])
    func theBriefingNeverExceedsItsBudget(budget: Int) throws {
        let env = try TestEnv()
        let e = try env.engram()
        try seed(e, project: env.project.path, sessions: 20, obsPerSession: 30)
        let b = try ContextBuilder(e).build(project: env.project.path, budget: budget)
        #expect(b.tokens <= budget)
        #expect(TokenEstimator.estimate(b.text) <= budget)
        #expect(b.text.count <= 9_500)
        for layer in b.layers { #expect(layer.tokens <= layer.available) }
    }

    @Test func eachLayerStaysInItsAllocationPlusWhatEarlierLayersLeft() throws {
        let env = try TestEnv()
        let e = try env.engram()
        try seed(e, project: env.project.path, sessions: 20, obsPerSession: 30)
        let b = try ContextBuilder(e).build(project: env.project.path, budget: 2000)
        #expect(b.layers.map(\.name) == ["sessions", "code", "learnings", "observations"])
        var carry = 0
        for layer in b.layers {
            #expect(layer.available == layer.allocation + carry)
            carry = layer.available - layer.tokens
        }
        #expect(b.layers.allSatisfy { $0.items > 0 })
        // The seed's shares: sessions 300, code 500, learnings 300, observations 600 of 2000.
        let sessions = b.layers[0], obs = b.layers[3]
        #expect(abs(obs.allocation - sessions.allocation * 2) <= 1)
    }

    @Test func unusedBudgetFlowsToTheNextLayer() throws {
        let env = try TestEnv()
        let e = try env.engram()
        // No learnings and no sessions: their share must flow on to observations.
        try e.store.writer.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s', ?, 't', 't')", arguments: [env.project.path])
            for i in 0..<200 {
                try db.execute(
                    sql:
                        "INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary) VALUES ('s', ?, ?, 'PostToolUse', 'Bash', ?, 's')",
                    arguments: [env.project.path, Timestamp.format(Date()), "Ran command number \(i) with a reasonably long title to fill space"])
            }
        }
        let b = try ContextBuilder(e).build(project: env.project.path, budget: 2000)
        let obs = b.layers.first { $0.name == "observations" }!
        #expect(obs.available > obs.allocation)
        #expect(obs.tokens > obs.allocation, "observations used budget the empty layers left")
    }

    @Test func itTellsHowToDrillDownWithIds() throws {
        let env = try TestEnv()
        let e = try env.engram()
        try seed(e, project: env.project.path, sessions: 2, obsPerSession: 3)
        let b = try ContextBuilder(e).build(project: env.project.path)
        #expect(b.text.contains("engram search"))
        #expect(b.text.contains("engram show"))
        #expect(b.text.range(of: #"#\d+ \["#, options: .regularExpression) != nil)
    }

    @Test func otherProjectsDoNotLeakIn() throws {
        let env = try TestEnv()
        let e = try env.engram()
        try seed(e, project: "/somewhere/else", sessions: 3, obsPerSession: 3)
        let b = try ContextBuilder(e).build(project: env.project.path)
        #expect(!b.text.contains("module"))
        #expect(b.text.contains("No memory of this project yet"))
    }

    @Test func theFunctionMapViewNetsChangesOverTheLastSession() throws {
        let env = try TestEnv()
        let e = try env.engram()
        let p = env.project.path
        // Two snapshots in one session: refresh_token is new in the first, unchanged in the second;
        // _issue is modified in the second; old_helper is deleted in the first.
        let snaps: [(String, [(String, String?, String, String, Int)])] = [
            (
                "2026-11-21T10:00:00.000Z",
                [
                    ("AuthService", nil, "class", "modified", 10), ("AuthService.refresh_token", "AuthService", "method", "new", 47),
                    ("AuthService._issue", "AuthService", "method", "unchanged", 60), ("old_helper", nil, "function", "deleted", 90),
                    ("create_auth_service", nil, "function", "unchanged", 100),
                ]
            ),
            (
                "2026-11-21T10:05:00.000Z",
                [
                    ("AuthService", nil, "class", "modified", 10), ("AuthService.refresh_token", "AuthService", "method", "unchanged", 47),
                    ("AuthService._issue", "AuthService", "method", "modified", 60),
                    ("create_auth_service", nil, "function", "unchanged", 100),
                ]
            ),
        ]
        try e.store.writer.write { db in
            for (snap, defs) in snaps {
                for (name, cls, kind, change, line) in defs {
                    let sig = kind == "class" ? name : String(name.split(separator: ".").last!) + "(self)"
                    try db.execute(
                        sql: """
                            INSERT INTO function_map (project, file_path, snapshot_at, session_id, qualified_name, kind, parent_class, signature, decorators, line_start, line_end, body_hash, change_type)
                            VALUES (?, 'auth/service.py', ?, 's', ?, ?, ?, ?, '["require_auth"]', ?, ?, 'h', ?)
                            """, arguments: [p, snap, name, kind, cls, sig, line, line + 5, change])
                }
            }
        }
        let b = try ContextBuilder(e).build(project: p)
        #expect(b.text.contains("## Recently changed code"))
        #expect(b.text.contains("auth/service.py (1 new, 2 modified, 1 deleted"))
        #expect(b.text.contains("  class AuthService:  [L10-L15] @require_auth MODIFIED"))
        #expect(b.text.contains("    refresh_token(self)  [L47-L52] @require_auth NEW"))
        #expect(b.text.contains("    _issue(self)  [L60-L65] @require_auth MODIFIED"))
        #expect(b.text.contains("old_helper(self)  [L90-L95] @require_auth DELETED"))
        #expect(b.text.contains("  unchanged: create_auth_service"))
    }
}
