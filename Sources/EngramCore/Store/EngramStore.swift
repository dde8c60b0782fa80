import CEngramSQLite
import Foundation
import GRDB

/// The SQLite database (WAL, busy timeout, migrations). Short-lived processes (hooks,
/// CLI) open it as a queue; the long-lived worker as a pool for concurrent reads.
public struct EngramStore: Sendable {
    public enum Mode: Sendable { case queue, pool }

    public let writer: any DatabaseWriter
    public let path: String

    /// How long a writer waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 10

    public static func open(paths: EngramPaths, mode: Mode = .queue, readOnly: Bool = false) throws -> EngramStore {
        try paths.prepare()
        return try open(path: paths.database.path, mode: mode, readOnly: readOnly)
    }

    public static func open(path: String, mode: Mode = .queue, readOnly: Bool = false) throws -> EngramStore {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "engram"
        // A pool needs GRDB's own WAL set-up (it makes sure a non-empty -wal file exists for its readers);
        // a queue, one per hook process, only needs the mode, which SQLite keeps in the file once set.
        if mode == .pool { config.journalMode = .wal }
        config.prepareDatabase { db in
            if mode == .queue, !readOnly {
                let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard journal == "wal" else { throw EngramError.databaseUnreadable(path, "cannot switch it to WAL mode (journal mode is \(journal ?? "unknown"))") }
                // Short-lived processes leave checkpoints to auto-checkpoint and the worker (see the shim).
                _ = engram_sqlite_skip_checkpoint_on_close(db.sqliteConnection)
            }
            // NORMAL is durable in WAL mode except across power loss of the last commit; the
            // queue design tolerates that, and it keeps each hook's commit cheap.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let writer: any DatabaseWriter
        do {
            switch mode {
            case .queue: writer = try DatabaseQueue(path: path, configuration: config)
            case .pool: writer = try DatabasePool(path: path, configuration: config)
            }
        } catch {
            throw EngramError.databaseUnreadable(path, String(describing: error))
        }
        _ = chmod(path, 0o600)
        let store = EngramStore(writer: writer, path: path)
        try store.migrate()
        return store
    }

    /// An in-memory database, for tests and `engram code map` style one-offs.
    public static func inMemory() throws -> EngramStore {
        let store = EngramStore(writer: try DatabaseQueue(), path: ":memory:")
        try store.migrate()
        return store
    }

    init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    /// Applies pending migrations. A database that knows migrations this build does not
    /// was written by a newer engram: refuse, change nothing.
    func migrate() throws {
        let migrator = Schema.migrator()
        let superseded: Bool
        let complete: Bool
        do {
            (superseded, complete) = try writer.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
        } catch {
            throw EngramError.databaseUnreadable(path, String(describing: error))
        }
        if superseded { throw EngramError.databaseFromNewerVersion(path) }
        if complete { return }
        do { try migrator.migrate(writer) } catch {
            throw EngramError.databaseUnreadable(path, "migration failed: \(error)")
        }
    }

    /// Identifiers of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Schema.migrator().appliedIdentifiers(db).sorted() }
    }

    public static var knownMigrations: [String] { Schema.migrator().migrations }
}
