import Foundation

/// The write side of the hooks: sessions, prompts and the pending queue. Nothing here
/// parses files or touches the network; each call is one short transaction.
public struct CaptureService: Sendable {
    let engram: Engram

    public init(_ engram: Engram) { self.engram = engram }

    /// Creates the session if this is the first time engram hears of it, else touches it (see `CaptureStore`).
    public func touchSession(_ id: String, project: String, source: String? = nil, transcript: String? = nil) throws {
        try engram.stores.capture.touchSession(id, project: project, source: source, transcriptPath: transcript, now: engram.now)
    }

    public enum EnqueueResult: Equatable, Sendable {
        case queued(Int64)
        case skipped(String)
    }

    /// What a PostToolUseFailure adds to a tool event: the error text (no `tool_response` comes with it).
    public struct ToolFailure: Sendable, Equatable {
        public var error: String
        public var isInterrupt: Bool
        public init(error: String, isInterrupt: Bool) { self.error = error; self.isInterrupt = isInterrupt }
    }

    /// Filters and enqueues one tool event (PostToolUse, or PostToolUseFailure with `failure`).
    public func enqueueToolEvent(
        sessionID: String, project: String, toolName: String, input: JSONValue, response: JSONValue,
        cwd: String?, toolUseID: String?, durationMs: Int?, rawSize: Int,
        failure: ToolFailure? = nil, promptID: String? = nil
    ) throws -> EnqueueResult {
        if isSkipped(toolName) { return .skipped("tool \(toolName) is on the skip list") }
        let limit = engram.config.maxPayloadBytes
        // Bound first, so the privacy filter never scans 50 MB; then clean what will be stored.
        let boundedInput = PayloadLimiter.bound(input, maxBytes: limit / 4)
        let boundedResponse = PayloadLimiter.bound(response, maxBytes: limit * 3 / 4)
        var payload: [String: JSONValue] = [
            "tool_name": .string(toolName),
            "tool_input": engram.privacy.clean(boundedInput),
            "tool_response": engram.privacy.clean(boundedResponse),
        ]
        let hookType = failure == nil ? "PostToolUse" : "PostToolUseFailure"
        if let failure {
            // The error text takes the response's share of the bound (a failure has no response).
            payload["error"] = .string(engram.privacy.clean(PayloadLimiter.truncate(failure.error, to: limit * 3 / 4)))
            payload["is_interrupt"] = .bool(failure.isInterrupt)
        }
        if let promptID { payload["prompt_id"] = .string(String(promptID.prefix(200))) }
        if let cwd, cwd.hasPrefix("/"), cwd.utf8.count <= 4096 { payload["cwd"] = .string(cwd) }
        if let toolUseID { payload["tool_use_id"] = .string(String(toolUseID.prefix(128))) }
        if let durationMs { payload["duration_ms"] = .number(Double(durationMs)) }
        let text = JSONValue.object(payload).serialized()
        let now = engram.now
        let event = EngramEvent(
            "hook.capture",
            [
                "tool_name": .string(toolName), "raw_size": .number(Double(rawSize)),
                "stored_size": .number(Double(text.utf8.count)),
            ],
            sessionID: sessionID, project: project, timestamp: now)
        let id = try engram.stores.capture.enqueue(
            NewQueueItem(
                sessionID: sessionID, project: project, hookType: hookType, toolName: toolName,
                payload: text, rawSize: rawSize), event: event, now: now)
        engram.events.stored([event])
        return .queued(id)
    }

    /// Tools on the skip list, and engram's own MCP tools (memory must not observe itself).
    /// An entry ending in `*` skips every tool whose name starts with what comes before it.
    public func isSkipped(_ toolName: String) -> Bool {
        let skip = engram.config.skipTools
        if skip.contains(toolName) { return true }
        if skip.contains(where: { $0.hasSuffix("*") && toolName.hasPrefix($0.dropLast()) }) { return true }
        let lower = toolName.lowercased()
        return lower.hasPrefix("mcp__engram__") || lower.hasPrefix("mcp__plugin_engram_")
    }

    /// Records a user prompt, privacy-filtered, on its session.
    /// `promptID` (Claude Code's `prompt_id`) is what links the prompt's tool calls to it.
    public func recordPrompt(sessionID: String, project: String, prompt: String, promptID: String? = nil) throws {
        let cleaned = PayloadLimiter.truncate(engram.privacy.clean(prompt), to: 16_384)
        try engram.stores.capture.recordPrompt(
            sessionID: sessionID, project: project, prompt: cleaned.spaceTrimmed.isEmpty ? nil : cleaned,
            promptID: promptID.map { String($0.prefix(200)) }, now: engram.now)
    }

    public func recordStop(sessionID: String, project: String, lastAssistantMessage: String?) throws {
        let cleaned = lastAssistantMessage.map { PayloadLimiter.truncate(engram.privacy.clean($0), to: 16_384) }
        try engram.stores.capture.recordStop(sessionID: sessionID, project: project, lastAssistantMessage: cleaned, now: engram.now)
    }

    /// Closes a session engram already knows. A SessionEnd alone (what `claude mcp list` fires, with a fresh id)
    /// creates nothing: a session with no start, prompt or tool call is no session to remember.
    public func closeSession(sessionID: String, project: String, reason: String?) throws {
        // Claude Code's reason is a word (`clear`, `logout`…), but it is input like any other: bounded and filtered.
        let reason = reason.map { PayloadLimiter.truncate(engram.privacy.clean($0), to: 256) }
        try engram.stores.capture.closeSession(sessionID, reason: reason, now: engram.now)
    }
}
