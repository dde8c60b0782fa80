/// One backend's stores, one per aggregate: what the engine reads and writes through. Each operation is its own
/// transaction; an operation that must change several aggregates at once is one method of the store that owns it.
public struct Stores: Sendable {
    public var capture: any CaptureStore
    public var sessions: any SessionStore
    public var queue: any QueueStore
    public var observations: any ObservationStore
    public var memories: any MemoryStore
    public var learnings: any LearningStore
    public var events: any EventStore
    public var timeline: any TimelineStore
    public var forget: any ForgetStore
    public var functions: any FunctionLibraryStore
    public var codeMap: any CodeMapStore
    public var briefing: any BriefingStore
    public var reports: any ReportStore
    public var portability: any PortabilityStore
    public var processing: any ProcessingStore
    public var enrichment: any EnrichmentStore
    public var vectors: any VectorStore
    public var keywords: any KeywordIndex

    public init(
        capture: any CaptureStore, sessions: any SessionStore, queue: any QueueStore, observations: any ObservationStore,
        memories: any MemoryStore, learnings: any LearningStore, events: any EventStore, timeline: any TimelineStore,
        forget: any ForgetStore, functions: any FunctionLibraryStore, codeMap: any CodeMapStore,
        briefing: any BriefingStore, reports: any ReportStore, portability: any PortabilityStore,
        processing: any ProcessingStore, enrichment: any EnrichmentStore, vectors: any VectorStore,
        keywords: any KeywordIndex
    ) {
        self.capture = capture
        self.sessions = sessions
        self.queue = queue
        self.observations = observations
        self.memories = memories
        self.learnings = learnings
        self.events = events
        self.timeline = timeline
        self.forget = forget
        self.functions = functions
        self.codeMap = codeMap
        self.briefing = briefing
        self.reports = reports
        self.portability = portability
        self.processing = processing
        self.enrichment = enrichment
        self.vectors = vectors
        self.keywords = keywords
    }
}
