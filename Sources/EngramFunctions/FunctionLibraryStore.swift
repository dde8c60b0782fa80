import EngramCore

/// Where the function library keeps versions and runs. The SQLite implementation is `FunctionLibrarySQLStore` in
/// EngramCore (beside engram's other tables); a PostgreSQL one would conform the same way.
public protocol FunctionLibraryStore: Sendable {
    func latest(project: String, name: String) throws -> FunctionVersionRecord?
    func newest(project: String, name: String) throws -> FunctionVersionRecord?
    func version(project: String, name: String, version: Int) throws -> FunctionVersionRecord?
    func versions(project: String, name: String) throws -> [FunctionVersionRecord]
    func names(project: String) throws -> Set<String>
    /// Stores the next version of the record's name and returns it with its number.
    func insert(_ record: FunctionVersionRecord) throws -> FunctionVersionRecord
    func delete(project: String, name: String) throws -> Int
    func search(project: String, query: String, limit: Int) throws -> [FunctionVersionRecord]
    func record(run: FunctionRunRecord) throws
    func runs(project: String, name: String) throws -> [FunctionRunRecord]
}

extension FunctionLibrarySQLStore: FunctionLibraryStore {}
