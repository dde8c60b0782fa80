/// An error a store's engine raised (SQLite's, PostgreSQL's): said to a person as the engine's own short message,
/// never with the statement or its arguments (which hold stored text).
public protocol StoreFailure: Error {
    /// The engine's message, without the statement.
    var storeMessage: String { get }
}
