import Foundation

/// What to ask the model: a provider-neutral request that each provider maps onto its wire format.
package struct LLMRequest: Sendable, Hashable {
    /// Instructions that frame the whole exchange; sent as Anthropic's `system` or OpenAI's system message.
    package var system: String?
    package var messages: [LLMMessage]
    /// The model name as the API knows it, e.g. "claude-haiku-4-5".
    package var model: String
    /// Upper bound on the tokens the model may write.
    package var maxTokens: Int
    /// Sampling temperature; nil leaves the API's default (some models accept no other value).
    package var temperature: Double?
    /// Ask for a single JSON object; providers that support a JSON mode turn it on.
    package var wantsJSON: Bool

    package init(
        system: String? = nil,
        messages: [LLMMessage],
        model: String,
        maxTokens: Int = 1024,
        temperature: Double? = nil,
        wantsJSON: Bool = false
    ) {
        self.system = system
        self.messages = messages
        self.model = model
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.wantsJSON = wantsJSON
    }
}
