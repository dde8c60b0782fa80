import EngramModel
import Foundation
import GRDB

/// A read-only look at a SQLite database file for `engram doctor`: integrity and migrations,
/// without applying anything.
public enum DatabaseHealth {
    public struct Result: Sendable, Equatable {
        /// "ok", or what `PRAGMA quick_check` reported.
        public var quickCheck: String
        public var appliedMigrations: [String]
        public var pendingMigrations: [String] { EngramStore.knownMigrations.filter { !appliedMigrations.contains($0) } }
        /// Applied migrations this build does not know: a newer engram wrote the file.
        public var unknownMigrations: [String] { appliedMigrations.filter { !EngramStore.knownMigrations.contains($0) } }
        public var queue = Queue()
    }

    /// The processing queue as `engram doctor` reports it.
    public struct Queue: Sendable, Equatable {
        public var pending = 0
        /// Pending items that already failed at least once (waiting for their retry).
        public var retrying = 0
        public var processing = 0
        /// Set aside for good after `processing.max_attempts`; their payload is kept.
        public var failed = 0
        /// The most recent distinct errors of failed or retrying items, newest first.
        public var lastErrors: [String] = []
    }

    public static func check(path: String) throws -> Result {
        var config = Configuration()
        // Not read-only: a read-only connection cannot open a WAL database whose -shm file is missing.
        config.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            return try queue.read { db in
                let quick = try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ")
                let applied =
                    try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
                var result = Result(quickCheck: quick, appliedMigrations: applied)
                if try db.tableExists("pending_queue") {
                    let rows = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT status, count(*) AS n, sum(attempts > 0) AS tried FROM pending_queue
                            WHERE status IN ('pending', 'processing', 'failed') GROUP BY status
                            """)
                    for r in rows {
                        let n: Int = r["n"] ?? 0
                        switch r["status"] as String? {
                        case "pending": result.queue.pending = n; result.queue.retrying = r["tried"] ?? 0
                        case "processing": result.queue.processing = n
                        case "failed": result.queue.failed = n
                        default: break
                        }
                    }
                    result.queue.lastErrors = try String.fetchAll(
                        db,
                        sql: """
                            SELECT error FROM pending_queue WHERE error IS NOT NULL AND status IN ('failed', 'pending')
                            GROUP BY error ORDER BY max(updated_at) DESC LIMIT 3
                            """)
                }
                return result
            }
        } catch {
            throw EngramError.databaseUnreadable(path, String(describing: error))
        }
    }
}
