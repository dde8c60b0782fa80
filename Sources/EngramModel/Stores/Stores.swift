/// One backend's stores, one per aggregate: what the engine reads and writes through. Each operation is its own
/// transaction; an operation that must change several aggregates at once is one method of the store that owns it.
public struct Stores: Sendable {
    public var memories: any MemoryStore

    public init(memories: any MemoryStore) {
        self.memories = memories
    }
}
