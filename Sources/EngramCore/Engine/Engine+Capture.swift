import Foundation

/// Capture: what the hooks record. Each call is one short transaction; none waits on a model.
extension Engine {
    private var capture: CaptureService { CaptureService(engram) }

    /// Starts (or revives) a session.
    public func startSession(_ id: String, project: String, source: String? = nil, transcript: String? = nil) throws {
        try capture.touchSession(id, project: project, source: source, transcript: transcript)
    }

    /// Queues a tool call for processing (or says why it was skipped: a tool engram ignores, a private payload).
    @discardableResult
    public func recordToolUse(
        sessionID: String, project: String, toolName: String, input: JSONValue, response: JSONValue,
        cwd: String? = nil, toolUseID: String? = nil, durationMs: Int? = nil, rawSize: Int = 0,
        failure: CaptureService.ToolFailure? = nil, promptID: String? = nil
    ) throws -> CaptureService.EnqueueResult {
        try capture.enqueueToolEvent(
            sessionID: sessionID, project: project, toolName: toolName, input: input, response: response,
            cwd: cwd, toolUseID: toolUseID, durationMs: durationMs, rawSize: rawSize,
            failure: failure, promptID: promptID)
    }

    /// Records what the user asked.
    public func recordPrompt(sessionID: String, project: String, prompt: String, promptID: String? = nil) throws {
        try capture.recordPrompt(sessionID: sessionID, project: project, prompt: prompt, promptID: promptID)
    }

    /// Records the end of a turn (the agent's last message); the session stays open.
    public func recordStop(sessionID: String, project: String, lastAssistantMessage: String?) throws {
        try capture.recordStop(sessionID: sessionID, project: project, lastAssistantMessage: lastAssistantMessage)
    }

    /// Closes a session (an unknown session is not created).
    public func closeSession(sessionID: String, project: String, reason: String?) throws {
        try capture.closeSession(sessionID: sessionID, project: project, reason: reason)
    }
}
