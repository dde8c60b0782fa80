/// What a new snapshot of a file stores: its definitions with their changes, its calls and, written in the same
/// transaction, the changed functions on the observation it came from and the events that tell of it.
public struct NewCodeSnapshot: Sendable {
    public var sessionID: String
    public var symbols: [CodeMapSymbol]
    public var calls: [CodeMapCall]
    /// The observation the snapshot was taken for: its `functionsChanged` is set to the snapshot's.
    public var observationID: Int64?
    /// The changed functions, `[{file, name, action}]`, kept on the observation.
    public var functionsChanged: JSONValue
    public var events: [EngramEvent]

    public init(
        sessionID: String, symbols: [CodeMapSymbol], calls: [CodeMapCall], observationID: Int64? = nil,
        functionsChanged: JSONValue = .array([]), events: [EngramEvent] = []
    ) {
        self.sessionID = sessionID; self.symbols = symbols; self.calls = calls; self.observationID = observationID
        self.functionsChanged = functionsChanged; self.events = events
    }
}
