/// Sessions as read back: what capture wrote (`CaptureStore`) and what finishing a session added.
public protocol SessionStore: Sendable {
    func session(_ id: String) throws -> SessionRecord?
    /// The session's prompts in the order they were recorded.
    func prompts(sessionID: String) throws -> [String]
}
