/// An error a store's engine raised (SQLite's, PostgreSQL's): said to a person as the engine's own short message,
/// never with the statement or its arguments (which hold stored text).
public protocol StoreFailure: Error {
    /// The engine's message, without the statement.
    var storeMessage: String { get }
    /// Whether the store as a whole failed (disk full, I/O, lock, corruption) rather than one operation (a
    /// constraint): retrying another item would fail the same way, so a batch stops instead of charging its items.
    var isStoreWide: Bool { get }
}
