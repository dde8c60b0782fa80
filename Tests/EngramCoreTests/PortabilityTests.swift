import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

@Suite struct PortabilityTests {
    /// A store with every record type, awkward text (quotes, newlines, unicode), nulls and
    /// a confidence that is not a short decimal.
    static func seeded() throws -> EngramStore {
        let store = try EngramStore.inMemory()
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (id, project, started_at, updated_at, ended_at, status, source, summary_text, prompt_count, tokens_injected, tokens_compressed)
                    VALUES ('s-1', '/p/shop', '2026-11-20T08:00:00.000Z', '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z', 'summarized',
                            'startup', 'Fixed the "login" bug;\nadded tests — ✓', 2, 120, 340),
                           ('s-0', '/p/other', '2026-11-19T08:00:00.000Z', '2026-11-19T08:30:00.000Z', NULL, 'active', NULL, NULL, 0, 0, 0)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO user_prompts (session_id, created_at, prompt) VALUES
                    ('s-1', '2026-11-20T08:01:00.000Z', 'fix the login bug'), ('s-1', '2026-11-20T08:20:00.000Z', 'now add tests\\ttab')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO observations (queue_id, session_id, project, created_at, hook_type, tool_name, title, summary, detail, files_touched,
                                              functions_changed, raw_size_bytes, compressed_tokens, compression_time_ms, compressor)
                    VALUES (7, 's-1', '/p/shop', '2026-11-20T08:05:00.000Z', 'PostToolUse', 'Edit', 'Edited login', 'Changed the check', NULL,
                            '["auth/login.py"]', '[{"action":"modified","file":"auth/login.py","name":"login"}]', 2048, 40, 12, 'heuristic'),
                           (8, 's-0', '/p/other', '2026-11-19T08:05:00.000Z', 'PostToolUse', NULL, 'Ran tests', 'All green', 'détail', '[]', '[]', NULL, NULL, NULL, 'llm')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO learnings (project, created_at, updated_at, category, content, confidence, times_seen, source_sessions, is_manual, is_active)
                    VALUES ('/p/shop', '2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000Z', 'gotcha', 'Login needs the CSRF header', 0.30000000000000004, 2, '["s-1","s-0"]', 0, 1),
                           (NULL, '2026-11-20T09:01:00.000Z', '2026-11-20T09:01:00.000Z', 'convention', 'Tabs, never spaces', 1.0, 1, '[]', 1, 0)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO function_map (project, file_path, snapshot_at, session_id, qualified_name, ordinal, kind, parent_class, signature,
                                              decorators, docstring, line_start, line_end, body_hash, prev_hash, change_type)
                    VALUES ('/p/shop', 'auth/login.py', '2026-11-20T08:05:00.000Z', 's-1', 'Auth.login', 0, 'method', 'Auth', 'login(self, user)',
                            '["staticmethod"]', 'Log in.', 3, 9, 'abc', 'abd', 'modified'),
                           ('/p/shop', 'auth/login.py', '2026-11-20T08:05:00.000Z', 's-1', 'helper', 0, 'function', NULL, 'helper()', NULL, NULL, 11, 12, 'def', NULL, 'new')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO call_graph (project, session_id, snapshot_at, caller_file, caller_name, callee_name, callee_resolved, resolution, line_number)
                    VALUES ('/p/shop', 's-1', '2026-11-20T08:05:00.000Z', 'auth/login.py', 'Auth.login', 'helper()', 'helper', 'direct', 5),
                           ('/p/shop', 's-1', '2026-11-20T08:05:00.000Z', 'auth/login.py', 'Auth.login', 'db.query()', NULL, 'unresolved', NULL)
                    """)
        }
        return store
    }

    static func count(_ store: EngramStore) throws -> Int {
        try store.writer.read { db in
            try ["sessions", "user_prompts", "observations", "learnings", "function_map", "call_graph"].reduce(0) { sum, t in
                sum + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t)") ?? 0)
            }
        }
    }

    @Test func roundTripIsByteIdentical() throws {
        let first = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        let target = try EngramStore.inMemory()
        let summary = try MemoryImporter(store: target.stores.portability).importData(Data(first.utf8))
        #expect(summary.totalInserted == 12 && summary.totalSkipped == 0)
        let second = try MemoryExporter(store: target.stores.portability).exportString(project: nil)
        #expect(second == first)
        #expect(first.split(separator: "\n").count == 13) // header + 12 records
        #expect(
            first.hasPrefix(
                #"{"counts":{"call":2,"function":2,"learning":2,"observation":2,"prompt":2,"session":2},"format":"engram-export","project":null,"version":1}"#
            ))
        #expect(first.contains(#""confidence":0.30000000000000004"#))
        #expect(first.contains(#""files_touched":["auth/login.py"]"#))
    }

    @Test func importedRowsAreSearchable() throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        let target = try EngramStore.inMemory()
        try MemoryImporter(store: target.stores.portability).importData(Data(text.utf8))
        let hits = try target.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM memory_fts WHERE memory_fts MATCH 'login'") }
        #expect((hits ?? 0) >= 2) // the observation and the session summary (the learning too)
    }

    @Test func importIsIdempotent() throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        let target = try EngramStore.inMemory()
        try MemoryImporter(store: target.stores.portability).importData(Data(text.utf8))
        let again = try MemoryImporter(store: target.stores.portability).importData(Data(text.utf8))
        #expect(again.totalInserted == 0 && again.totalSkipped == 12)
        #expect(try Self.count(target) == 12)
        #expect(try MemoryExporter(store: target.stores.portability).exportString(project: nil) == text)
    }

    @Test func projectExportKeepsOnlyThatProjectAndGlobalLearnings() throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: "/p/shop")
        let lines = text.split(separator: "\n")
        #expect(lines.first?.contains(#""project":"/p/shop""#) == true)
        #expect(!text.contains("/p/other"))
        #expect(lines.filter { $0.contains(#""type":"learning""#) }.count == 2) // the project's and the global one
        #expect(lines.filter { $0.contains(#""type":"prompt""#) }.count == 2)
        let target = try EngramStore.inMemory()
        try MemoryImporter(store: target.stores.portability).importData(Data(text.utf8))
        #expect(try MemoryExporter(store: target.stores.portability).exportString(project: "/p/shop") == text)
    }

    @Test func takenIDsGetNewOnesAndNothingIsLost() throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        let target = try EngramStore.inMemory()
        try target.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO learnings (id, project, created_at, updated_at, category, content) VALUES
                    (1, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'pattern', 'Already here')
                    """)
        }
        let s = try MemoryImporter(store: target.stores.portability).importData(Data(text.utf8))
        #expect(s.inserted["learning"] == 2)
        let contents = try target.writer.read { db in try String.fetchAll(db, sql: "SELECT content FROM learnings ORDER BY id") }
        // The CSRF learning's id 1 is taken, so it gets 2, which the next one (exported as 2) then finds taken.
        #expect(contents == ["Already here", "Login needs the CSRF header", "Tabs, never spaces"])
    }

    /// Replaces line `n` (1-based) of the export with `replacement`.
    func corrupt(_ text: String, line n: Int, with replacement: String) -> Data {
        var lines = text.components(separatedBy: "\n")
        lines[n - 1] = replacement
        return Data(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: [
        ("{\"type\":\"session\",", "not valid JSON"),
        ("[1,2]", "not a JSON object"),
        (#"{"type":"widget"}"#, "unknown type \"widget\""),
        (#"{"type":"prompt","id":1,"session_id":"s-1","created_at":"2026-11-20T08:01:00.000Z"}"#, "has no \"prompt\""),
        (#"{"type":"prompt","id":1.5,"session_id":"s-1","created_at":"x","prompt":"p"}"#, "\"id\" of a prompt record must be a whole number"),
        (#"{"type":"prompt","id":1,"session_id":"s-1","created_at":"x","prompt":"p","extra":1}"#, "unknown field \"extra\""),
        (#"{"type":"prompt","id":1,"session_id":"nope","created_at":"x","prompt":"p"}"#, "refers to session \"nope\""),
    ])
    func aCorruptLineInTheMiddleWritesNothing(line: String, message: String) throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        // Line 5 is the second prompt: records before it are valid and must not be written either.
        let data = corrupt(text, line: 5, with: line)
        let target = try EngramStore.inMemory()
        let error = #expect(throws: PortabilityError.self) { try MemoryImporter(store: target.stores.portability).importData(data) }
        #expect(error?.line == 5)
        #expect(error?.errorDescription?.contains("Line 5:") == true)
        #expect(error?.errorDescription?.contains(message) == true, "\(error?.errorDescription ?? "")")
        #expect(try Self.count(target) == 0)
    }

    @Test func unknownVersionIsRefused() throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        let data = corrupt(text, line: 1, with: #"{"format":"engram-export","version":2}"#)
        let target = try EngramStore.inMemory()
        #expect(throws: PortabilityError.unsupportedVersion(2)) { try MemoryImporter(store: target.stores.portability).importData(data) }
        #expect(try Self.count(target) == 0)
    }

    @Test func notAnExportIsRefused() throws {
        let target = try EngramStore.inMemory()
        #expect(throws: PortabilityError.emptyFile) { try MemoryImporter(store: target.stores.portability).importData(Data("\n\n".utf8)) }
        #expect(throws: PortabilityError.self) {
            try MemoryImporter(store: target.stores.portability).importData(Data(#"{"format":"other","version":1}"#.utf8))
        }
    }

    @Test func aTruncatedFileIsRefused() throws {
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).exportString(project: nil)
        let truncated = text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
        let target = try EngramStore.inMemory()
        #expect(throws: PortabilityError.countMismatch("call", expected: 2, found: 1)) {
            try MemoryImporter(store: target.stores.portability).importData(Data(truncated.utf8))
        }
        #expect(try Self.count(target) == 0)
    }

    @Test func progressReachesTheTotal() throws {
        var seen: [(Int, Int)] = []
        let text = try MemoryExporter(store: try Self.seeded().stores.portability).export(
            project: nil, progress: { seen.append(($0, $1)) }, write: { _ in })
        #expect(text.values.reduce(0, +) == 12)
        #expect(seen.last.map { $0 == (12, 12) } == true)
    }
}
