import Foundation

/// What to ask the model: a provider-neutral request that each provider maps onto its wire format.
public struct LLMRequest: Sendable, Hashable {
    /// Instructions that frame the whole exchange; sent as Anthropic's `system` or OpenAI's system message.
    public var system: String?
    public var messages: [LLMMessage]
    /// The model name as the API knows it, e.g. "claude-haiku-4-5".
    public var model: String
    /// Upper bound on the tokens the model may write.
    public var maxTokens: Int
    /// Sampling temperature; nil leaves the API's default (some models accept no other value).
    public var temperature: Double?
    /// Ask for a single JSON object; providers that support a JSON mode turn it on.
    public var wantsJSON: Bool

    public init(
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
