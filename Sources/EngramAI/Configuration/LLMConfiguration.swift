import Foundation

/// Everything needed to build the provider stack. The caller (engram's config loader) fills it;
/// `fromEnvironment` covers the usual provider variables.
package struct LLMConfiguration: Sendable, Hashable {
    package var kind: LLMProviderKind
    /// nil uses the kind's public endpoint (or Ollama's local one).
    package var baseURL: URL?
    /// Explicit key; when nil the kind's environment variable is used.
    package var apiKey: APIKey?
    package var observationModel: String?
    package var summaryModel: String?
    package var learningsModel: String?
    /// Hard limit for one HTTP exchange.
    package var requestTimeout: Duration
    package var maxRetries: Int
    package var retryBaseDelay: Duration
    package var retryMaxDelay: Duration
    /// Input + output tokens allowed per day; nil means no limit.
    package var dailyTokenBudget: Int?
    /// Whether the server accepts `response_format: json_object`; nil means the kind's default
    /// (yes for OpenAI, no for self-hosted servers, which vary).
    package var supportsJSONMode: Bool?
    /// Send `max_completion_tokens` instead of `max_tokens` (OpenAI's reasoning models need it).
    package var usesMaxCompletionTokens: Bool

    package init(
        kind: LLMProviderKind,
        baseURL: URL? = nil,
        apiKey: APIKey? = nil,
        observationModel: String? = nil,
        summaryModel: String? = nil,
        learningsModel: String? = nil,
        requestTimeout: Duration = .seconds(60),
        maxRetries: Int = 3,
        retryBaseDelay: Duration = .seconds(1),
        retryMaxDelay: Duration = .seconds(60),
        dailyTokenBudget: Int? = 1_000_000,
        supportsJSONMode: Bool? = nil,
        usesMaxCompletionTokens: Bool = false
    ) {
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.observationModel = observationModel
        self.summaryModel = summaryModel
        self.learningsModel = learningsModel
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.retryBaseDelay = retryBaseDelay
        self.retryMaxDelay = retryMaxDelay
        self.dailyTokenBudget = dailyTokenBudget
        self.supportsJSONMode = supportsJSONMode
        self.usesMaxCompletionTokens = usesMaxCompletionTokens
    }

    /// Picks a provider from the usual variables: Anthropic when ANTHROPIC_API_KEY is set, else OpenAI
    /// when OPENAI_API_KEY is set, else nil (engram then runs on heuristics).
    package static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> LLMConfiguration? {
        for kind in [LLMProviderKind.anthropic, .openAI] where environment[kind.apiKeyVariable].flatMap(APIKey.init) != nil {
            return fromEnvironment(kind: kind, environment: environment)
        }
        return nil
    }

    /// A configuration for `kind` with the key and base URL taken from the environment when set there.
    package static func fromEnvironment(
        kind: LLMProviderKind,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> LLMConfiguration {
        var configuration = LLMConfiguration(kind: kind)
        configuration.apiKey = environment[kind.apiKeyVariable].flatMap(APIKey.init)
        if let base = environment[kind.baseURLVariable], let url = URL(string: base), url.scheme != nil {
            configuration.baseURL = url
        }
        return configuration
    }

    /// The model for `task`, falling back to the kind's defaults.
    package func model(for task: LLMTask) -> String {
        let configured: String? =
            switch task {
            case .observation: observationModel
            case .summary: summaryModel
            case .learnings: learningsModel ?? summaryModel
            }
        if let configured, !configured.trimmingCharacters(in: .whitespaces).isEmpty { return configured }
        return kind.defaultModel(for: task)
    }

    /// The explicit key, else the one in the kind's environment variable.
    package func resolvedAPIKey(environment: [String: String] = ProcessInfo.processInfo.environment) -> APIKey? {
        apiKey ?? environment[kind.apiKeyVariable].flatMap(APIKey.init)
    }

    /// The cost table for this provider; models unknown to a self-hosted server cost nothing.
    package func makeCostEstimator() -> CostEstimator {
        CostEstimator(unknownModelsAreFree: kind == .openAICompatible)
    }

    /// Builds the provider without retries or budget; throws `LLMError.missingAPIKey` when a key is required and absent.
    package func makeBaseProvider(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: any HTTPTransport = URLSessionTransport(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> any LLMProvider {
        let key = resolvedAPIKey(environment: environment)
        let base = baseURL ?? kind.defaultBaseURL
        switch kind {
        case .anthropic:
            guard let key else { throw LLMError.missingAPIKey(provider: "Anthropic", environmentVariable: kind.apiKeyVariable) }
            return AnthropicProvider(apiKey: key, baseURL: base, timeout: requestTimeout, transport: transport, now: now)
        case .openAI, .openAICompatible:
            if kind.requiresAPIKey, key == nil {
                throw LLMError.missingAPIKey(provider: "OpenAI", environmentVariable: kind.apiKeyVariable)
            }
            let options = OpenAICompatibleProvider.Options(
                supportsJSONMode: supportsJSONMode ?? (kind == .openAI),
                usesMaxCompletionTokens: usesMaxCompletionTokens
            )
            return OpenAICompatibleProvider(apiKey: key, baseURL: base, options: options, timeout: requestTimeout, transport: transport, now: now)
        }
    }

    /// The full stack (budget → retries → provider), or nil when the provider needs a key and none
    /// is configured, in which case the caller keeps its heuristic results.
    package func makeProvider(
        ledger: any UsageLedger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sleeper: any Sleeper = TaskSleeper(),
        transport: any HTTPTransport = URLSessionTransport(),
        timeZone: TimeZone = .current,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> (any LLMProvider)? {
        guard let base = try? makeBaseProvider(environment: environment, transport: transport, now: now) else { return nil }
        let policy = RetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay, maxDelay: retryMaxDelay)
        let retrying = RetryingProvider(wrapping: base, policy: policy, sleeper: sleeper)
        guard let dailyTokenBudget else { return retrying }
        let budget = TokenBudget(dailyLimit: dailyTokenBudget, ledger: ledger, timeZone: timeZone, now: now)
        return BudgetedProvider(wrapping: retrying, budget: budget, costs: makeCostEstimator())
    }
}

extension LLMConfiguration: CustomStringConvertible {
    /// A summary safe to log: the key shows only whether it is set.
    package var description: String {
        "LLMConfiguration(kind: \(kind.rawValue), baseURL: \((baseURL ?? kind.defaultBaseURL).absoluteString), apiKey: \(apiKey == nil ? "unset" : "set"), observationModel: \(model(for: .observation)), summaryModel: \(model(for: .summary)), timeout: \(requestTimeout), maxRetries: \(maxRetries), dailyTokenBudget: \(dailyTokenBudget.map(String.init) ?? "unlimited"))"
    }
}
