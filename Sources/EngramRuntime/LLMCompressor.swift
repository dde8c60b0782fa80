import EngramAI
import EngramCore
import Foundation

/// Compresses a tool event with the LLM, falling back to the heuristic result on any failure:
/// an endpoint that is down or slow (timeouts, 429, 5xx) defers the item (stored heuristically,
/// kept `raw`, upgraded later); an answer that cannot be used, a refused key or a spent budget
/// keeps the heuristic result for good. Emits compress.start and compress.error.
package struct LLMCompressor: NamedCompressor {
    let client: LLMClient
    let model: String
    let heuristic: HeuristicCompressor
    let engram: Engram
    /// Input and response text sent to the model are clamped to this many characters each.
    package var maxFieldCharacters = 12_000

    package init(client: LLMClient, model: String, engram: Engram, heuristic: HeuristicCompressor = HeuristicCompressor()) {
        self.client = client
        self.model = model
        self.engram = engram
        self.heuristic = heuristic
    }

    package var name: String { "llm:\(model)" }

    package func compress(_ event: ToolEvent) async throws -> CompressedObservation {
        let fallback = try await heuristic.compress(event)
        let input = ObservationInput(
            toolName: event.toolName, files: fallback.filesTouched,
            input: clamp(Self.text(event.input)),
            // A failed call has no response: the model is given the error, said to be one.
            response: clamp(
                event.error.map { "The tool call FAILED" + (event.isInterrupt ? " (interrupted)" : "") + ":\n" + $0 }
                    ?? Self.text(event.response)))
        engram.events.record(.init("compress.start", ["tool_name": .string(event.toolName), "model": .string(model)]), to: engram.stores.events)
        do {
            let answer = try await client.compressObservation(input)
            let o = answer.value
            return CompressedObservation(
                title: o.title, summary: o.summary, detail: o.detail,
                filesTouched: o.files.isEmpty ? fallback.filesTouched : o.files,
                functionsHint: o.functions.isEmpty ? fallback.functionsHint : o.functions)
        } catch {
            let message = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
            let transient = (error as? LLMError)?.isRetryable == true || (error as? LLMError) == .cancelled
            engram.events.record(
                .init(
                    "compress.error",
                    [
                        "tool_name": .string(event.toolName), "model": .string(model),
                        "error": .string(String(message.prefix(300))),
                        "fallback": "heuristic", "retry_later": .bool(transient),
                    ]), to: engram.stores.events)
            if transient { throw DeferredCompression(fallback: fallback, reason: message) }
            return fallback
        }
    }

    func clamp(_ s: String) -> String {
        s.count <= maxFieldCharacters ? s : String(s.prefix(maxFieldCharacters)) + "\n…[truncated]"
    }

    static func text(_ v: JSONValue) -> String {
        if let t = v.textValue { return t }
        return v.serialized()
    }
}
