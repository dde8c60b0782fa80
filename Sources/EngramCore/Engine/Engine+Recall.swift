import Foundation

/// Recall: the briefing, search, timelines and records by id.
extension Engine {
    /// The briefing for a project's next session within `budget` tokens (the configured budget when nil).
    public func briefing(project: String, budget: Int? = nil, excludingSession: String? = nil) throws -> Briefing {
        try contextBuilder.build(project: project, budget: budget, excludingSession: excludingSession)
    }

    /// The briefing a session is given at its start, recorded as given (its tokens, a context event).
    public func brief(sessionID: String, project: String, budget: Int? = nil) throws -> Briefing {
        try contextBuilder.brief(sessionID: sessionID, project: project, budget: budget)
    }

    private var contextBuilder: ContextBuilder {
        var builder = ContextBuilder(engram)
        builder.observationRanker = wiring.observationRanker
        return builder
    }

    /// Searches observations, summaries, learnings and memories: hybrid or semantic when a query embedder is wired
    /// and the query does not ask for keywords, keyword otherwise. `keywordFallback` hears why a search that
    /// wanted meaning ran on keywords alone.
    public func search(_ query: SearchService.Query, keywordFallback: (@Sendable (String) -> Void)? = nil) throws -> [SearchService.Hit] {
        var service = searchService(for: query.mode)
        if let keywordFallback { service.keywordFallback = keywordFallback }
        return try service.search(query)
    }

    /// The search service for `mode` (keyword mode never loads vectors).
    public func searchService(for mode: SearchMode? = nil) -> SearchService {
        guard mode != .keyword, let embedder = wiring.queryEmbedder else { return SearchService(engram) }
        return SearchService(engram, queryEmbedder: embedder)
    }

    /// Loads what semantic search keeps between searches (the vector index), so the first search does not wait.
    public func warmUpSearch() throws {
        try searchService().warmUp()
    }

    /// What happened around a moment: observations, prompts and session starts and ends.
    public func timeline(around anchor: TimelineService.Anchor, project: String? = nil, before: Int = 5, after: Int = 5) throws
        -> TimelineService.Timeline
    {
        try TimelineService(engram).around(anchor, project: project, before: before, after: after)
    }

    /// Records by their ids (`#42`, `session:ID`, `L7`), one per id in the order asked; an unknown id gives a record
    /// of kind "missing".
    public func records(_ ids: [String]) throws -> [RecordLookup.Record] {
        try RecordLookup(engram).fetch(ids)
    }
}

extension Engine {
    /// How much is stored for `project` (every project when nil).
    public func totals(project: String?) throws -> (observations: Int, sessions: Int) {
        (try engram.stores.observations.count(project: project), try engram.stores.sessions.count(project: project))
    }
}
