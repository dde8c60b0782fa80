/// What a person asks engram to forget.
public enum ForgetTarget: Sendable, Equatable {
    case observation(Int64)
    case session(String)
    case memory(Int64)
    case project(String)
}

/// Forgetting as one unit of work: the target and everything derived from it (queue items, prompts, code map rows,
/// events, keyword and vector index entries, enrichment still owed) go in one transaction, or nothing does.
public protocol ForgetStore: Sendable {
    /// Deletes `target` and what hangs on it; returns the rows deleted per table (tables with none left out).
    /// Throws `EngramError.notFound` (and deletes nothing) when the target does not exist.
    func forget(_ target: ForgetTarget) throws -> [String: Int]
}
