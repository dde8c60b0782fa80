/// The structured event log's table. Events that tell of a change are written by the store that makes the change,
/// in its transaction; this is for events that stand alone.
public protocol EventStore: Sendable {
    /// Appends `events`, each at its own timestamp (`now` for those without one), in one transaction.
    func append(_ events: [EngramEvent], now: String) throws
    /// The newest events first, of one type when given (what `engram report` and the tests read).
    func recent(type: String?, limit: Int) throws -> [EngramEvent]
    /// The tokens in and out of the events of `type` whose data's `day` is `day` (the LLM budget's `llm.usage` events).
    func tokens(type: String, day: String) throws -> Int
}
