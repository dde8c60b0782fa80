import EngramModel
import EngramSQLite
import Foundation
import Testing

/// A store backend the conformance suite runs against: each test gets fresh, empty stores of every backend
/// available. A backend added later (PostgreSQL) joins `available` and runs the same tests unchanged.
struct Backend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () throws -> Stores

    var testDescription: String { name }

    /// SQLite in a file of its own in a temporary directory (WAL, migrations, the bm25 function: as in production).
    static let sqlite = Backend(name: "sqlite") {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try EngramStore.open(path: dir.appendingPathComponent("engram.db").path).stores
    }

    static let available: [Backend] = [.sqlite]
}
