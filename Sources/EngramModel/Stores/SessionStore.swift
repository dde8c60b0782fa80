/// Sessions as read back (capture writes them, `CaptureStore`), and what finishing and briefing add to them.
public protocol SessionStore: Sendable {
    func session(_ id: String) throws -> SessionRecord?
    /// The session's prompts in the order they were recorded.
    func prompts(sessionID: String) throws -> [String]
    /// Stores the session's summary (a closed session stays closed, any other becomes `summarized`) with `event`, in
    /// one transaction; false when there is no such session (nothing is written).
    func saveSummary(sessionID: String, text: String, event: EngramEvent, now: String) throws -> Bool
    /// Counts `tokens` more as handed to the session in briefings, with `events`, in one transaction.
    func addInjected(tokens: Int, sessionID: String, events: [EngramEvent], now: String) throws
    /// How many sessions are stored for `project` (every project when nil).
    func count(project: String?) throws -> Int
    /// What `project` was last about: its latest-started session's summary, else its latest prompt; nil with neither.
    func latestFocus(project: String) throws -> String?
}
