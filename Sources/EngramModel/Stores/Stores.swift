/// One backend's stores, one per aggregate: what the engine reads and writes through. Each operation is its own
/// transaction; an operation that must change several aggregates at once is one method of the store that owns it.
public struct Stores: Sendable {
    public var memories: any MemoryStore
    public var learnings: any LearningStore

    public init(memories: any MemoryStore, learnings: any LearningStore) {
        self.memories = memories
        self.learnings = learnings
    }
}
