import Foundation

/// Deterministic, model-free compression of a tool event into a readable record.
public struct HeuristicCompressor: Compressor {
    public init() {}

    public func compress(_ event: ToolEvent) async throws -> CompressedObservation {
        compressSync(event)
    }

    /// Synchronous form used on hot paths and in tests.
    public func compressSync(_ event: ToolEvent) -> CompressedObservation {
        // Placeholder until the real heuristics land.
        CompressedObservation(title: event.toolName, summary: event.toolName, detail: "")
    }
}
