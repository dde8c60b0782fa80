/// A tool call as the queue receives it: already bounded and privacy-filtered, its payload serialized JSON.
public struct NewQueueItem: Sendable, Equatable {
    public var sessionID: String
    public var project: String
    /// `PostToolUse` or `PostToolUseFailure`.
    public var hookType: String
    public var toolName: String
    public var payload: String
    public var rawSize: Int

    public init(sessionID: String, project: String, hookType: String, toolName: String, payload: String, rawSize: Int) {
        self.sessionID = sessionID; self.project = project; self.hookType = hookType; self.toolName = toolName
        self.payload = payload; self.rawSize = rawSize
    }
}

/// The write side of the hooks: sessions, prompts and the pending queue, each call one short transaction that never
/// parses or waits on anything but the store. `now` is the time the hook saw the event (a spilled hook's is past).
public protocol CaptureStore: Sendable {
    /// Creates the session, or touches it: a closed session that hears from its client again is active again; a
    /// source or transcript given replaces the stored one, one not given keeps it.
    func touchSession(_ id: String, project: String, source: String?, transcriptPath: String?, now: String) throws
    /// Touches the item's session and queues the item as `pending`, with `event`; returns the item's id.
    func enqueue(_ item: NewQueueItem, event: EngramEvent, now: String) throws -> Int64
    /// Touches the session and adds the prompt (nil only touches), counting it on the session.
    func recordPrompt(sessionID: String, project: String, prompt: String?, promptID: String?, now: String) throws
    /// Touches the session and keeps the last assistant message (nil keeps the one stored).
    func recordStop(sessionID: String, project: String, lastAssistantMessage: String?, now: String) throws
    /// Closes a session the store knows; an unknown id creates nothing.
    func closeSession(_ id: String, reason: String?, now: String) throws
}
