import EngramSQLite
import GRDB
import Testing

/// The function library's SQLite tables (migration `v3-functions`) added to a database of the previous version.
/// What the store promises once migrated is in EngramStoreTests (FunctionLibraryStoreConformanceTests).
@Suite struct FunctionLibraryMigrationTests {
    @Test func migratesFromThePreviousVersionKeepingRows() throws {
        let queue = try DatabaseQueue()
        let migrator = Schema.migrator()
        try migrator.migrate(queue, upTo: "v3-enrichment")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s1', '/p', 't', 't')")
        }
        try migrator.migrate(queue)
        let (applied, sessions, functions) = try queue.read { db in
            (
                try migrator.appliedIdentifiers(db), try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM functions")
            )
        }
        #expect(applied.contains("v3-functions"))
        #expect(sessions == 1 && functions == 0)
    }
}
