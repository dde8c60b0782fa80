/// Where saved memories live. A project's search sees its own memories and the global ones (no project); `project`
/// nil sees every memory. Tags match case-insensitively, any of them. Ids are the store's; a memory is never changed
/// once stored, only forgotten.
public protocol MemoryStore: Sendable {
    /// Stores `memory` and returns it with its id.
    func insert(_ memory: NewMemory) throws -> Memory
    /// The memories with these numbers, in the order asked; unknown ones are left out.
    func memories(numbers: [Int64]) throws -> [Memory]
    /// The newest first.
    func recent(project: String?, tags: [String], limit: Int) throws -> [Memory]
    /// Keyword hits for `query` in the form `match`, best first, each with a score where higher is better.
    func search(_ query: KeywordQuery, match: KeywordQuery.Match, project: String?, tags: [String], limit: Int) throws -> [Memory]
    /// The numbers of the memories a search may return: in scope, with one of `tags` (any when empty), created at or
    /// after `since` (ISO 8601) when given.
    func numbers(project: String?, tags: [String], since: String?) throws -> Set<Int64>
}
