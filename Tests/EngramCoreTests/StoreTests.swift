import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

@Suite struct StoreTests {
    @Test func migratesAnEmptyDatabaseToEveryKnownMigration() throws {
        let env = try TestEnv()
        let store = try EngramStore.open(paths: EngramPaths(home: env.home))
        #expect(try store.appliedMigrations() == EngramStore.knownMigrations.sorted())
        let tables = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
        }
        for t in ["sessions", "observations", "function_map", "call_graph", "learnings", "pending_queue", "event_log", "memory_fts", "user_prompts"] {
            #expect(tables.contains(t), "missing table \(t)")
        }
        let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    func walSize(_ paths: EngramPaths) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: paths.database.path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
    }

    /// A hook process is usually the database's last connection: closing must not checkpoint (a copy into the
    /// database and two fsyncs in every hook) while the WAL is small. The WAL stays, with the rows, for the next one.
    @Test func aQueueClosingLastLeavesASmallWALForLater() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        _ = try EngramStore.open(paths: paths) // creating the schema writes past the limit: that close checkpoints
        #expect(walSize(paths) == 0)
        do {
            let store = try EngramStore.open(paths: paths)
            try store.writer.write { db in
                try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s', '/p', 'x', 'x')")
            }
            #expect(walSize(paths) > 0)
        }
        #expect(walSize(paths) > 0, "the last connection checkpointed and removed the WAL on close")
        // A pool (the worker) checkpoints as SQLite does by default; and the data is all there either way.
        do {
            let pool = try EngramStore.open(paths: paths, mode: .pool)
            #expect(try pool.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") } == 1)
        }
        #expect(walSize(paths) == 0)
    }

    /// One hook-sized queue row, as a hook process writes it.
    func enqueueRow(_ store: EngramStore, _ payload: String) throws {
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, payload, raw_size_bytes)
                    VALUES ('t', 't', 's', '/p', 'PostToolUse', ?, 0)
                    """, arguments: [payload])
        }
    }

    /// `close()` (what a hook process does before it exits without tearing the store down) makes the same
    /// decision as the last copy going away: many closes in a row keep the WAL bounded and lose nothing, and
    /// the closed stores, released afterwards, have nothing left to do.
    @Test func explicitCloseKeepsTheWALBoundedWhileTheStoreIsStillHeld() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let payload = String(repeating: "y", count: 3_000)
        var held: [EngramStore] = [], largest = 0
        for i in 0..<120 {
            let store = try EngramStore.open(paths: paths)
            try enqueueRow(store, "\(i) \(payload)")
            store.close()
            held.append(store)
            largest = max(largest, walSize(paths))
        }
        #expect(largest > ClosingCheckpoint.limit / 2, "the WAL never grew: closes checkpointed every time")
        #expect(largest < ClosingCheckpoint.limit + 256 * 1024, "WAL grew to \(largest) bytes")
        held.removeAll() // their deinit finds the connections closed
        let store = try EngramStore.open(paths: paths)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") } == 120)
    }

    /// Each process that opens first rebuilds the WAL's index from the whole file, and without a checkpoint the
    /// WAL would only grow: past the limit the closing process checkpoints, so many hook-sized processes in a
    /// row keep it bounded, and nothing written is lost.
    @Test func manyShortProcessesKeepTheWALBounded() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let payload = String(repeating: "x", count: 3_000)
        var largest = 0
        for i in 0..<300 {
            let store = try EngramStore.open(paths: paths)
            try enqueueRow(store, "\(i) \(payload)")
            largest = max(largest, walSize(paths))
        }
        #expect(largest > 0)
        #expect(largest < ClosingCheckpoint.limit + 256 * 1024, "WAL grew to \(largest) bytes")
        #expect(walSize(paths) <= ClosingCheckpoint.limit)
        let store = try EngramStore.open(paths: paths)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") } == 300)
    }

    @Test func reopeningIsANoOpAndKeepsData() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let a = try EngramStore.open(paths: paths)
        try a.writer.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s', '/p', 'x', 'x')")
        }
        let b = try EngramStore.open(paths: paths)
        #expect(try b.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") } == 1)
    }

    @Test func dataDirIs0700AndDatabaseFiles0600() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let store = try EngramStore.open(paths: paths)
        try store.writer.write { db in try db.execute(sql: "INSERT INTO event_log (timestamp, event_type, data) VALUES ('t', 'x', '{}')") }
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(paths.home.path) == 0o700)
        #expect(try mode(paths.logs.path) == 0o700)
        for f in try FileManager.default.contentsOfDirectory(atPath: paths.home.path) where f.hasPrefix("engram.sqlite") {
            #expect(try mode(paths.home.path + "/" + f) == 0o600, "\(f) is not 0600")
        }
    }

    @Test func refusesADatabaseWrittenByANewerEngramAndChangesNothing() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let store = try EngramStore.open(paths: paths)
        try store.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let before = try Data(contentsOf: paths.database)
        #expect(throws: EngramError.databaseFromNewerVersion(paths.database.path)) {
            _ = try EngramStore.open(paths: paths)
        }
        #expect(try Data(contentsOf: paths.database) == before)
    }

    @Test func aFileThatIsNotADatabaseGetsAClearError() throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        try paths.prepare()
        try Data("this is not sqlite, just text that is long enough to be checked".utf8).write(to: paths.database)
        #expect(throws: EngramError.self) { _ = try EngramStore.open(paths: paths) }
    }

    @Test func ftsStaysInSyncWithObservationsSummariesAndLearnings() throws {
        let store = try EngramStore.inMemory()
        func count(_ q: String) throws -> Int {
            try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM memory_fts WHERE memory_fts MATCH ?", arguments: [q]) ?? 0 }
        }
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s1', '/p', 't', 't')")
            try db.execute(
                sql: """
                    INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, detail, files_touched)
                    VALUES ('s1', '/p', 't', 'PostToolUse', 'Edit', 'Edited auth.py: added refresh_token', 'zebra summary', 'detail text', '["app/auth.py"]')
                    """)
            try db.execute(
                sql: "INSERT INTO learnings (created_at, updated_at, category, content) VALUES ('t', 't', 'gotcha', 'giraffe tokens expire')")
        }
        #expect(try count("zebra") == 1)
        #expect(try count("giraffe") == 1)
        #expect(try count("files:auth") == 1)
        try store.writer.write { db in
            try db.execute(sql: "UPDATE observations SET summary = 'okapi summary'")
            try db.execute(sql: "UPDATE sessions SET summary_text = 'walrus session'")
            try db.execute(sql: "UPDATE learnings SET is_active = 0")
        }
        #expect(try count("zebra") == 0)
        #expect(try count("okapi") == 1)
        #expect(try count("walrus") == 1)
        #expect(try count("giraffe") == 0)
        try store.writer.write { db in
            try db.execute(sql: "DELETE FROM observations")
            try db.execute(sql: "DELETE FROM sessions")
        }
        #expect(try count("okapi") == 0)
        #expect(try count("walrus") == 0)
    }
}
