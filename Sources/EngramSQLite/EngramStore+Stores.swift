import EngramModel

extension EngramStore {
    /// The engine's stores over this database.
    public var stores: Stores {
        Stores(
            capture: SQLiteCaptureStore(self), sessions: SQLiteSessionStore(self), queue: SQLiteQueueStore(self),
            observations: SQLiteObservationStore(self), memories: SQLiteMemoryStore(self), learnings: SQLiteLearningStore(self),
            events: SQLiteEventStore(self), timeline: SQLiteTimelineStore(self),
            forget: SQLiteForgetStore(self), functions: SQLiteFunctionLibraryStore(self), codeMap: SQLiteCodeMapStore(self),
            briefing: SQLiteBriefingStore(self), reports: SQLiteReportStore(self), portability: SQLitePortabilityStore(self),
            processing: SQLiteProcessingStore(self), enrichment: SQLiteEnrichmentStore(self),
            vectors: SQLiteVectorStore(self), keywords: SQLiteKeywordIndex(self))
    }
}
