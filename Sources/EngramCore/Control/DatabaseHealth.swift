import Foundation
import GRDB

/// A read-only look at a database file for `engram doctor`: integrity and migrations,
/// without applying anything.
public enum DatabaseHealth {
    public struct Result: Sendable, Equatable {
        /// "ok", or what `PRAGMA quick_check` reported.
        public var quickCheck: String
        public var appliedMigrations: [String]
        public var pendingMigrations: [String] { EngramStore.knownMigrations.filter { !appliedMigrations.contains($0) } }
        /// Applied migrations this build does not know: a newer engram wrote the file.
        public var unknownMigrations: [String] { appliedMigrations.filter { !EngramStore.knownMigrations.contains($0) } }
    }

    public static func check(path: String) throws -> Result {
        var config = Configuration()
        // Not read-only: a read-only connection cannot open a WAL database whose -shm file is missing.
        config.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            return try queue.read { db in
                let quick = try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ")
                let applied = try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
                return Result(quickCheck: quick, appliedMigrations: applied)
            }
        } catch {
            throw EngramError.databaseUnreadable(path, String(describing: error))
        }
    }
}
