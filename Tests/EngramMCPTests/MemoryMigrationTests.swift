import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

/// The v2-memories migration, from an empty database and from a v1 one with data.
@Suite struct MemoryMigrationTests {
    @Test func fromEmptyDatabase() throws {
        let store = try EngramStore.inMemory()
        // Other migrations may be registered beside it; all of them apply.
        #expect(try store.appliedMigrations() == EngramStore.knownMigrations.sorted())
        #expect(EngramStore.knownMigrations.contains("v2-memories"))
        let tables = try store.writer.read { db in (try db.tableExists("memories"), try db.tableExists("memories_fts")) }
        #expect(tables == (true, true))
    }

    @Test func fromV1KeepsExistingRows() throws {
        let env = try MCPTestEnv()
        try FileManager.default.createDirectory(at: env.home, withIntermediateDirectories: true)
        let path = env.home.appendingPathComponent("engram.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator().migrate(queue, upTo: "v1-core")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sessions(id, project, started_at, updated_at) VALUES ('s1', '/p', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
                        INSERT INTO observations(session_id, project, created_at, hook_type, title, summary)
                        VALUES ('s1', '/p', '2026-01-01T00:00:00.000Z', 'PostToolUse', 'kept title', 'kept');
                        """)
            }
        }
        let store = try EngramStore.open(path: path)
        // Other migrations may be registered beside it; all of them apply.
        #expect(try store.appliedMigrations() == EngramStore.knownMigrations.sorted())
        #expect(EngramStore.knownMigrations.contains("v2-memories"))
        let e = Engram(
            paths: EngramPaths(home: env.home), config: try EngramConfig.load(paths: EngramPaths(home: env.home), env: env.env), store: store)
        let m = try MemoryService(e).save(text: "migrated databases take memories", tags: ["x"], project: "/p")
        #expect(try MemoryService(e).search("memories", project: "/p").map(\.id) == [m.id])
        #expect(try store.writer.read { db in try String.fetchOne(db, sql: "SELECT title FROM observations") } == "kept title")
    }
}
