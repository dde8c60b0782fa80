import EngramModel
import GRDB

extension DatabaseError: StoreFailure {
    public var storeMessage: String { message ?? "SQLite error \(resultCode.rawValue)" }
}
