import EngramModel
import GRDB

extension DatabaseError: StoreFailure {
    public var storeMessage: String { message ?? "SQLite error \(resultCode.rawValue)" }

    public var isStoreWide: Bool {
        switch resultCode.primaryResultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_NOMEM, .SQLITE_READONLY, .SQLITE_CORRUPT,
            .SQLITE_CANTOPEN, .SQLITE_INTERRUPT, .SQLITE_NOTADB, .SQLITE_PROTOCOL:
            return true
        default:
            return false
        }
    }
}
