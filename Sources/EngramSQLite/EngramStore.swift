import CEngramSQLite
import EngramModel
import Foundation
import GRDB

/// The SQLite database (WAL, busy timeout, migrations). Short-lived processes (hooks,
/// CLI) open it as a queue; the long-lived worker as a pool for concurrent reads.
public struct EngramStore: Sendable {
    public enum Mode: Sendable { case queue, pool }

    /// The GRDB connection, for EngramSQLite's stores and for code in this package not yet behind them; never product API.
    package let writer: any DatabaseWriter
    public let path: String
    /// Set for a queue: decides, when the last copy of this store goes, whether closing checkpoints.
    private var closing: ClosingCheckpoint?

    /// How long a writer waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 10

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
                // WAL is set once, by whoever first finds the file in another mode, under the set-up lock: asking
                // for it on every open made concurrent first opens of a fresh file fight over the switch.
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                    let journal = try SetupLock.holding(databasePath: path) { try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                    guard journal == "wal" else {
                        throw EngramError.databaseUnreadable(path, "cannot switch it to WAL mode (journal mode is \(journal ?? "unknown"))")
                    }
                }
                // See `ClosingCheckpoint`: a small WAL is left for the next process.
                _ = engram_sqlite_checkpoint_on_close(db.sqliteConnection, 0)
            }
            // NORMAL is durable in WAL mode except across power loss of the last commit; the
            // queue design tolerates that, and it keeps each hook's commit cheap.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 16 MB of page cache instead of SQLite's 2 MB: processing a batch touches the FTS index, the
            // observations and the queue, and re-read them from the OS about 15 times per item. Allocated as used.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try registerFunctions(db)
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
        var store = EngramStore(writer: writer, path: path)
        if mode == .queue, !readOnly { store.closing = ClosingCheckpoint(writer: writer, walPath: path + "-wal") }
        try store.migrate()
        return store
    }

    /// Closes the connection now rather than when the last copy of the store goes (a queue's close checkpoints
    /// as `ClosingCheckpoint` decides). The store must not be used afterwards: GRDB does not guard every path.
    public func close() {
        closing?.prepareClose()
        try? writer.close()
    }

    /// An in-memory database, for tests and `engram code map` style one-offs.
    public static func inMemory() throws -> EngramStore {
        var config = Configuration()
        config.prepareDatabase { db in try registerFunctions(db) }
        let store = EngramStore(writer: try DatabaseQueue(configuration: config), path: ":memory:")
        try store.migrate()
        return store
    }

    /// SQL functions every connection needs: keyword ranking's bm25 without a per-row statement for document
    /// sizes (`engram_bm25`, see CEngramSQLite.h).
    package static func registerFunctions(_ db: Database) throws {
        let rc = engram_sqlite_register_bm25(db.sqliteConnection, "memory_fts")
        guard rc == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "cannot register engram_bm25") }
    }

    package init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    /// Applies pending migrations. A database that knows migrations this build does not
    /// was written by a newer engram: refuse, change nothing.
    package func migrate() throws {
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
        // Claude Code starts hooks in parallel: on a fresh data dir (or after an upgrade) several processes get here
        // at once. One migrates under the set-up lock; the others wait for it, then find nothing left to do.
        do {
            try SetupLock.holding(databasePath: path) {
                if try writer.read({ db in try migrator.hasCompletedMigrations(db) }) { return }
                try migrator.migrate(writer)
            }
        } catch let error as EngramError {
            throw error
        } catch {
            throw EngramError.databaseUnreadable(path, "migration failed: \(error)")
        }
    }

    /// Identifiers of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Schema.migrator().appliedIdentifiers(db).sorted() }
    }

    public static var knownMigrations: [String] { Schema.migrator().migrations }
}

/// When a short-lived process (a hook, a CLI command) closes the database as its last connection, SQLite
/// checkpoints the WAL into the database and deletes it: two fsyncs, in every hook when no worker holds the
/// database open. So a queue's connection closes without that while the WAL is small, and the next process to
/// open reads the small WAL to rebuild its index (the first connection always does). Past `limit` bytes the
/// close checkpoints as usual, and still only as the last connection: with the worker running it never waits.
package final class ClosingCheckpoint: Sendable {
    /// 256 KB: five to seven post-tool-use hooks' pages (each writes 36–60 KB: the queue row and its indexes, the
    /// event row and its indexes), read back by the next opener in well under a millisecond. Raising it to 1 MB
    /// measured no better at p50 on this host (2026-11-22), with rarer but longer checkpointing hooks.
    package static let limit = 256 * 1024

    let writer: any DatabaseWriter
    let walPath: String

    init(writer: any DatabaseWriter, walPath: String) {
        self.writer = writer
        self.walPath = walPath
    }

    deinit { prepareClose() }

    /// Lets the close checkpoint when the WAL is past `limit`. Harmless when the connection is already closed.
    func prepareClose() {
        var info = stat()
        guard stat(walPath, &info) == 0, Int(info.st_size) > Self.limit else { return }
        writer.writeWithoutTransaction { db in
            // No connection once `EngramStore.close()` has run.
            if let connection = db.sqliteConnection { _ = engram_sqlite_checkpoint_on_close(connection, 1) }
        }
    }
}
