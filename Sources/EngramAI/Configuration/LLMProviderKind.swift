import Foundation

/// Which wire protocol to speak.
package enum LLMProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anthropic's Messages API.
    case anthropic
    /// OpenAI's hosted chat completions API (needs a key).
    case openAI = "openai"
    /// A self-hosted server speaking OpenAI's chat completions (Ollama, llama.cpp, vLLM); a key is optional.
    case openAICompatible = "openai-compatible"

    /// Parses a config value, accepting common server names as aliases for `openAICompatible`.
    package init?(name: String) {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "anthropic", "claude": self = .anthropic
        case "openai": self = .openAI
        case "openai-compatible", "openai_compatible", "ollama", "llama.cpp", "llamacpp", "vllm", "local": self = .openAICompatible
        default: return nil
        }
    }

    /// The environment variable that holds this provider's key.
    package var apiKeyVariable: String {
        switch self {
        case .anthropic: "ANTHROPIC_API_KEY"
        case .openAI, .openAICompatible: "OPENAI_API_KEY"
        }
    }

    /// The environment variable that overrides the base URL.
    package var baseURLVariable: String {
        switch self {
        case .anthropic: "ANTHROPIC_BASE_URL"
        case .openAI, .openAICompatible: "OPENAI_BASE_URL"
        }
    }

    /// Whether a request without a key can succeed.
    package var requiresAPIKey: Bool { self != .openAICompatible }

    package var defaultBaseURL: URL {
        switch self {
        case .anthropic: AnthropicProvider.defaultBaseURL
        case .openAI: OpenAICompatibleProvider.openAIBaseURL
        case .openAICompatible: OpenAICompatibleProvider.ollamaBaseURL
        }
    }

    /// Default model for one kind of work; local servers have no sensible default beyond Ollama's common tag.
    package func defaultModel(for task: LLMTask) -> String {
        switch (self, task) {
        case (.anthropic, .observation): "claude-haiku-4-5"
        case (.anthropic, .summary), (.anthropic, .learnings): "claude-sonnet-4-5"
        case (.openAI, .observation): "gpt-4o-mini"
        case (.openAI, .summary), (.openAI, .learnings): "gpt-4o"
        case (.openAICompatible, _): "llama3.1"
        }
    }
}
