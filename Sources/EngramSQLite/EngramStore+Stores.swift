import EngramModel

extension EngramStore {
    /// The engine's stores over this database.
    public var stores: Stores {
        Stores(memories: SQLiteMemoryStore(self), learnings: SQLiteLearningStore(self))
    }
}
