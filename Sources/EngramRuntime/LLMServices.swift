import EngramAI
import EngramCore
import Foundation

/// The LLM stack built from engram's config (`llm.*` keys) and the usual environment variables:
/// one client for compression, summaries and learnings, with the budget kept in event_log.
package struct LLMServices: Sendable {
    package let configuration: LLMConfiguration
    package let client: LLMClient

    /// The configuration engram's settings describe, or nil when `LLMPolicy` (the one place that decides) says the
    /// LLM is off: `llm.enabled = false`, `llm.provider = none`, or `auto` with no key in the environment.
    package static func configuration(config: EngramConfig, env: [String: String]) -> LLMConfiguration? {
        let policy = LLMPolicy.resolve(config: config, env: env)
        guard let provider = policy.provider, let kind = LLMProviderKind(name: provider) else { return nil }
        var c = LLMConfiguration.fromEnvironment(kind: kind, environment: env)
        let base = config.string("llm.base_url").trimmingCharacters(in: .whitespaces)
        if !base.isEmpty, let url = URL(string: base), url.scheme != nil { c.baseURL = url }
        let observation = config.string("llm.observation_model").trimmingCharacters(in: .whitespaces)
        if !observation.isEmpty { c.observationModel = observation }
        let summary = config.string("llm.summary_model").trimmingCharacters(in: .whitespaces)
        if !summary.isEmpty { c.summaryModel = summary }
        let budget = config.int("llm.daily_token_budget")
        c.dailyTokenBudget = budget > 0 ? budget : nil
        let timeout = config.double("llm.timeout_seconds")
        c.requestTimeout = .milliseconds(Int64((timeout > 0 ? min(timeout, 600) : 60) * 1000))
        c.maxRetries = max(0, min(10, config.int("llm.max_retries")))
        return c
    }

    /// The services for `engram`, or nil when no LLM is configured or its key is missing (heuristics then).
    package static func make(for engram: Engram, env: [String: String], transport: any HTTPTransport = URLSessionTransport()) -> LLMServices? {
        guard let configuration = configuration(config: engram.config, env: env) else { return nil }
        guard let provider = configuration.makeProvider(ledger: EventLogUsageLedger(engram), environment: env, transport: transport) else {
            engram.logger.warning("LLM \(configuration.kind.rawValue) is configured but has no API key; heuristics are used")
            return nil
        }
        return LLMServices(configuration: configuration, client: LLMClient(provider: provider, configuration: configuration))
    }

    package init(configuration: LLMConfiguration, client: LLMClient) {
        self.configuration = configuration
        self.client = client
    }

    /// "anthropic:claude-haiku-4-5", for status output.
    package var label: String { "\(configuration.kind.rawValue):\(configuration.model(for: .observation))" }
}
