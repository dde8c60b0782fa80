import EngramCode
import EngramCore
import Foundation
import GRDB
import Testing

@testable import EngramRuntime

/// Drives real hook payloads through processing and checks what code intelligence stored.
@Suite struct CodeTrackerTests {
    final class Env: @unchecked Sendable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-rt-\(UUID().uuidString)")
        var project: URL { root.appendingPathComponent("proj") }
        var env: [String: String] { ["ENGRAM_HOME": root.appendingPathComponent("home").path] }
        init() throws { try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: root) }

        func hook(_ tool: String, _ input: JSONValue, _ response: JSONValue) async {
            let payload: JSONValue = [
                "session_id": "s1", "cwd": .string(project.path), "hook_event_name": "PostToolUse",
                "tool_name": .string(tool), "tool_input": input, "tool_response": response,
            ]
            let out = await HookRunner(env: env, opener: EngramRuntime.hookOpener).run(event: "post-tool-use", stdin: Data(payload.serialized().utf8))
            #expect(out.diagnostics.isEmpty)
        }

        func write(_ rel: String, _ text: String) throws {
            let url = project.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func process() async throws -> Engram {
            let e = try EngramRuntime.open(env: env)
            _ = try await QueueProcessor(e).drain()
            return e
        }
    }

    static let v1 = """
        class Service:
            def load(self, key):
                return self.cache.get(key)

            def save(self, key, value):
                self.validate(value)
                self.cache[key] = value

            def validate(self, value):
                assert value

        def helper():
            return Service().load("x")

        def obsolete():
            pass
        """

    @Test func editsAreSnapshottedAndMarkedAgainstTheOriginal() async throws {
        let t = try Env()
        let path = t.project.appendingPathComponent("svc.py").path
        try t.write("svc.py", Self.v1)
        let old = "    def validate(self, value):\n        assert value\n"
        let new =
            "    def validate(self, value):\n        if not value:\n            raise ValueError(value)\n\n    def refresh(self):\n        self.load('k')\n"
        await t.hook(
            "Edit", ["file_path": .string(path), "old_string": .string(old), "new_string": .string(new), "replace_all": false],
            ["filePath": .string(path), "originalFile": .string(Self.v1)])
        let v2 = Self.v1.replacingOccurrences(of: old, with: new)
        try t.write("svc.py", v2)
        // A second edit deletes `obsolete`; it is processed in the same batch as the first.
        let v3 = v2.replacingOccurrences(of: "\n\ndef obsolete():\n    pass", with: "\n")
        #expect(v3 != v2)
        await t.hook("Write", ["file_path": .string(path), "content": .string(v3)], ["type": "update", "filePath": .string(path)])
        let e = try await t.process()

        let rows = try await e.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT snapshot_at, qualified_name, change_type FROM function_map ORDER BY snapshot_at, line_start")
        }
        let snaps = Array(Set(rows.map { $0["snapshot_at"] as String })).sorted()
        #expect(snaps.count == 2)
        func marks(_ snap: String) -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: rows.filter { ($0["snapshot_at"] as String) == snap }.map {
                    ($0["qualified_name"] as String, $0["change_type"] as String)
                })
        }
        let first = marks(snaps[0]), second = marks(snaps[1])
        #expect(first["Service.validate"] == "modified")
        #expect(first["Service.refresh"] == "new")
        #expect(first["Service.load"] == "unchanged")
        #expect(first["obsolete"] == "unchanged")
        #expect(second["obsolete"] == "deleted")
        #expect(second["Service.refresh"] == "unchanged")

        let changed = try await e.store.writer.read { db in try String.fetchAll(db, sql: "SELECT functions_changed FROM observations ORDER BY id") }
        #expect(changed[0].contains(#""name":"Service.refresh""#) && changed[0].contains(#""action":"new""#))
        #expect(changed[1].contains(#""name":"obsolete""#) && changed[1].contains(#""action":"deleted""#))

        let edges = try await e.store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT caller_name, callee_name, callee_resolved, resolution FROM call_graph WHERE snapshot_at = ?", arguments: [snaps[0]])
        }
        #expect(edges.contains { ($0["caller_name"] as String).hasSuffix("Service.refresh") && ($0["resolution"] as String) == "self_method" })
        let scan = try await e.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT data FROM event_log WHERE event_type = 'ast.scan' ORDER BY id")
        }
        #expect(scan.count == 2)
        #expect(scan[0].contains(#""new":1"#) && scan[0].contains(#""modified":"#) && scan[0].contains("unresolved_calls"))
    }

    /// Edits of one file stamped in the same millisecond, and one processed after a newer snapshot exists, each get
    /// their own snapshot, strictly later than the one before: the old `latest + 1 ms` went through a truncating
    /// formatter, repeated the latest key, failed the UNIQUE constraint and stalled all processing.
    @Test func sameMillisecondAndOutOfOrderEditsGetDistinctIncreasingSnapshots() async throws {
        let t = try Env()
        let path = t.project.appendingPathComponent("svc.py").path
        let n = 12
        for i in 0..<n {
            let text = "def f\(i)():\n    return \(i)\n"
            await t.hook("Write", ["file_path": .string(path), "content": .string(text)], ["type": "update", "filePath": .string(path)])
        }
        let e = try EngramRuntime.open(env: t.env)
        // All stamped with one millisecond, and the last one processed first.
        try await e.store.writer.write { db in try db.execute(sql: "UPDATE pending_queue SET created_at = '2026-12-02T05:35:59.123Z'") }
        let lastID = try await e.store.writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM pending_queue")! }
        let lastSession = try await e.store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT session_id FROM pending_queue WHERE id = ?", arguments: [lastID])!
        }
        try await e.store.writer.write { db in try db.execute(sql: "UPDATE pending_queue SET session_id = 'late' WHERE id < ?", arguments: [lastID]) }
        _ = try await QueueProcessor(e).drain(sessionID: lastSession)
        try await e.store.writer.write { db in
            try db.execute(sql: "UPDATE pending_queue SET session_id = ? WHERE session_id = 'late'", arguments: [lastSession])
        }
        let stats = try await QueueProcessor(e).drain()
        #expect(stats.failed == 0 && stats.retried == 0, "\(stats)")
        let snaps = try await e.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT snapshot_at FROM function_map ORDER BY snapshot_at")
        }
        #expect(snaps.count == n)
        let ms = snaps.compactMap(Timestamp.milliseconds)
        #expect(zip(ms, ms.dropFirst()).allSatisfy { $0 < $1 })
        #expect(try await e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status != 'done'") } == 0)
    }

    @Test func aFileThatDoesNotParseIsSkippedAndTheObservationKept() async throws {
        let t = try Env()
        let path = t.project.appendingPathComponent("broken.py").path
        let text = "def ok():\n    return 1\n\ndef broken(:\n"
        try t.write("broken.py", text)
        await t.hook("Write", ["file_path": .string(path), "content": .string(text)], ["type": "create", "filePath": .string(path)])
        let e = try await t.process()
        let counts = try await e.store.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM observations")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM function_map")!,
                try String.fetchOne(db, sql: "SELECT data FROM event_log WHERE event_type = 'ast.scan'")
            )
        }
        #expect(counts.0 == 1)
        #expect(counts.1 == 0)
        #expect(counts.2?.contains("error") == true)
    }

    @Test func swiftFilesGoIntoTheSameTables() async throws {
        let t = try Env()
        let path = t.project.appendingPathComponent("Sources/App/Cache.swift").path
        let text =
            "struct Cache {\n    var items: [String: Int] = [:]\n    func lookup(_ k: String) -> Int? { items[k] }\n    mutating func store(_ k: String, _ v: Int) { items[k] = v; log(k) }\n}\nfunc log(_ s: String) {}\n"
        try t.write("Sources/App/Cache.swift", text)
        await t.hook("Write", ["file_path": .string(path), "content": .string(text)], ["type": "create", "filePath": .string(path)])
        let e = try await t.process()
        let names = try await e.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT qualified_name FROM function_map WHERE file_path = 'Sources/App/Cache.swift' ORDER BY line_start")
        }
        #expect(names.contains("Cache"))
        #expect(names.contains { $0.hasSuffix("store(_:_:)") || $0.hasSuffix("store") })
        let marks = try await e.store.writer.read { db in try Set(String.fetchAll(db, sql: "SELECT change_type FROM function_map")) }
        #expect(marks == ["new"], "a created file's definitions are all new")
    }

    @Test func nonCodeFilesAndReadsAreIgnored() async throws {
        let t = try Env()
        let path = t.project.appendingPathComponent("README.md").path
        try t.write("README.md", "# hi\n")
        await t.hook("Write", ["file_path": .string(path), "content": "# hi\n"], ["type": "create"])
        await t.hook("Read", ["file_path": .string(t.project.appendingPathComponent("svc.py").path)], ["type": "text"])
        let e = try await t.process()
        #expect(try await e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM function_map") } == 0)
    }
}
