import Foundation

/// The model's answer with the token counts the API reported.
package struct LLMResponse: Sendable, Hashable {
    /// All text blocks of the answer joined together.
    package var text: String
    /// The model that actually answered (APIs often report a dated snapshot of the requested alias).
    package var model: String
    package var inputTokens: Int
    package var outputTokens: Int
    /// Why the model stopped, as the API said it ("end_turn", "max_tokens", "stop", "length", ...).
    package var stopReason: String?

    package init(text: String, model: String, inputTokens: Int, outputTokens: Int, stopReason: String? = nil) {
        self.text = text
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.stopReason = stopReason
    }

    /// True when the answer was cut off by the token limit, so structured output is likely incomplete.
    package var wasTruncated: Bool {
        stopReason == "max_tokens" || stopReason == "length"
    }
}
