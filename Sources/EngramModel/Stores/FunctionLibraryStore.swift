/// Where the function library keeps versions and runs. Every operation is scoped to one project: another project's
/// functions and runs are never seen. Versions of a name count up from 1; at most one of them is latest.
public protocol FunctionLibraryStore: Sendable {
    /// The latest version of `name` (nil while every version is failing, or when there is none).
    func latest(project: String, name: String) throws -> FunctionVersionRecord?
    /// The newest version whatever its status (a failing version is newest without being latest).
    func newest(project: String, name: String) throws -> FunctionVersionRecord?
    func version(project: String, name: String, version: Int) throws -> FunctionVersionRecord?
    /// Every version of `name`, oldest first.
    func versions(project: String, name: String) throws -> [FunctionVersionRecord]
    /// The names with at least one version.
    func names(project: String) throws -> Set<String>
    /// Stores `record` as the next version of its name (its `version` is ignored) and returns it as stored, with its
    /// number. When it is latest, the previous latest stops being so, in the same transaction.
    func insert(_ record: FunctionVersionRecord) throws -> FunctionVersionRecord
    /// Deletes every version and run of `name`; returns the number of versions deleted.
    func delete(project: String, name: String) throws -> Int
    /// Latest versions matching every word of `query` (letters, digits and `_`; each a prefix; a name also matches by
    /// the words between its underscores), best first: a hit in the name ranks above one in the source. Query syntax of
    /// the backend's search is never interpreted.
    func search(project: String, query: String, limit: Int) throws -> [FunctionVersionRecord]
    /// Records one run or test case of a version.
    func record(run: FunctionRunRecord) throws
    /// The runs of `name` (every version), in the order recorded.
    func runs(project: String, name: String) throws -> [FunctionRunRecord]
}
