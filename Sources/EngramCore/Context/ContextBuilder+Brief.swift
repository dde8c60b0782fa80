import Foundation

extension ContextBuilder {
    /// Builds the briefing a starting session is handed, without that session's own records, and records what was
    /// injected (the session's tokens, context events): what the SessionStart hook and the worker's /api/context do.
    public func brief(sessionID: String, project: String, budget: Int? = nil) throws -> Briefing {
        let start = DispatchTime.now().uptimeNanoseconds
        let briefing = try build(project: project, budget: budget, excludingSession: sessionID)
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        let now = engram.now
        let events = [
            EngramEvent(
                "hook.context_inject", ["tokens": .number(Double(briefing.tokens)), "chars": .number(Double(briefing.text.count))],
                sessionID: sessionID, project: project, durationMs: ms, timestamp: now),
            EngramEvent(
                "context.token_budget",
                [
                    "total_tokens": .number(Double(briefing.tokens)), "budget": .number(Double(briefing.budget)),
                    "layers_included": .array(briefing.layers.filter { $0.items > 0 }.map { .string($0.name) }),
                    "layers": .object(Dictionary(uniqueKeysWithValues: briefing.layers.map { ($0.name, JSONValue.number(Double($0.tokens))) })),
                ], sessionID: sessionID, project: project, timestamp: now),
        ]
        try engram.stores.sessions.addInjected(tokens: briefing.tokens, sessionID: sessionID, events: events, now: now)
        engram.events.stored(events)
        return briefing
    }
}
