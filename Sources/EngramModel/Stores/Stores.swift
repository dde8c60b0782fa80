/// One backend's stores, one per aggregate: what the engine reads and writes through. Each operation is its own
/// transaction; an operation that must change several aggregates at once is one method of the store that owns it.
public struct Stores: Sendable {
    public var capture: any CaptureStore
    public var sessions: any SessionStore
    public var queue: any QueueStore
    public var memories: any MemoryStore
    public var learnings: any LearningStore

    public init(capture: any CaptureStore, sessions: any SessionStore, queue: any QueueStore, memories: any MemoryStore,
                learnings: any LearningStore) {
        self.capture = capture
        self.sessions = sessions
        self.queue = queue
        self.memories = memories
        self.learnings = learnings
    }
}
