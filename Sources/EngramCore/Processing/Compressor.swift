/// The seam between a captured tool event and its stored record. The heuristic
/// compressor is the default; an LLM-backed one may wrap it and fall back to it.
public protocol Compressor: Sendable {
    func compress(_ event: ToolEvent) async throws -> CompressedObservation
}
