import Foundation

/// Whether engram sends text to a language model, which one, and why: decided here and nowhere else. The worker's
/// LLM stack is built from it, and `engram doctor`, `engram config show` and the briefing say what it decided.
///
/// A hook runs in Claude Code's environment, so an `ANTHROPIC_API_KEY` (and `ANTHROPIC_BASE_URL`) the agent holds
/// reaches engram and its worker; with `llm.provider = auto` that switches the LLM on. `llm.enabled = false`
/// (`ENGRAM_LLM_ENABLED=0`) is the one switch that keeps everything on this machine, whatever the environment holds.
public struct LLMPolicy: Sendable, Equatable, Codable {
    /// The provider's name (anthropic, openai, openai-compatible), or nil: heuristics only, nothing sent anywhere.
    public var provider: String?
    /// The environment variable the key comes from, when one is used.
    public var keyVariable: String?
    /// The key came from the environment Claude Code gave this process (a hook, or the worker a hook started).
    public var keyFromAgent: Bool
    /// Where requests go, when not the provider's public endpoint.
    public var baseURL: String?
    /// Why the LLM is off, or how it came to be on ("llm.provider = auto and ANTHROPIC_API_KEY is set").
    public var reason: String

    public var isOn: Bool { provider != nil }

    /// The switch, as a person would set it.
    public static let switchHint =
        "set `llm.enabled = false` (`engram config set llm.enabled false`, or ENGRAM_LLM_ENABLED=0) to keep everything local"

    /// One line for doctor, config show and the briefing.
    public var line: String {
        guard let provider else { return "LLM off: heuristics only, nothing leaves this machine (\(reason))." }
        var where_ = provider
        if let baseURL { where_ += " at \(baseURL)" }
        let key = keyVariable.map { " with \($0)" + (keyFromAgent ? " inherited from Claude Code's environment" : "") } ?? ""
        return "LLM on: tool events and session summaries are sent to \(where_)\(key) (\(reason)); \(Self.switchHint)."
    }

    /// Decides from the config (`llm.enabled`, `llm.provider`, `llm.base_url`) and the environment.
    public static func resolve(config: EngramConfig, env: [String: String]) -> LLMPolicy {
        func set(_ name: String) -> Bool { !(env[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let agent = env["CLAUDECODE"] == "1"
        let configuredBase = config.string("llm.base_url").trimmingCharacters(in: .whitespaces)
        func on(_ provider: String, key: String?, baseVariable: String, reason: String) -> LLMPolicy {
            let base = configuredBase.isEmpty ? env[baseVariable].flatMap { $0.isEmpty ? nil : $0 } : configuredBase
            return LLMPolicy(provider: provider, keyVariable: key, keyFromAgent: agent && key != nil, baseURL: base, reason: reason)
        }
        func off(_ reason: String) -> LLMPolicy { LLMPolicy(provider: nil, keyVariable: nil, keyFromAgent: false, baseURL: nil, reason: reason) }

        if let enabled = config.entries["llm.enabled"], !config.bool("llm.enabled") {
            return off("llm.enabled = false, from \(enabled.source == .environment ? "ENGRAM_LLM_ENABLED" : enabled.source.rawValue)")
        }
        let provider = config.string("llm.provider").trimmingCharacters(in: .whitespaces).lowercased()
        switch provider {
        case "none", "off", "heuristic", "false", "0":
            return off("llm.provider = \(provider)")
        case "", "auto":
            if set("ANTHROPIC_API_KEY") {
                return on(
                    "anthropic", key: "ANTHROPIC_API_KEY", baseVariable: "ANTHROPIC_BASE_URL",
                    reason: "llm.provider = auto and ANTHROPIC_API_KEY is set")
            }
            if set("OPENAI_API_KEY") {
                return on("openai", key: "OPENAI_API_KEY", baseVariable: "OPENAI_BASE_URL", reason: "llm.provider = auto and OPENAI_API_KEY is set")
            }
            return off("llm.provider = auto and neither ANTHROPIC_API_KEY nor OPENAI_API_KEY is set")
        case "anthropic", "claude":
            guard set("ANTHROPIC_API_KEY") else { return off("llm.provider = anthropic but ANTHROPIC_API_KEY is not set") }
            return on("anthropic", key: "ANTHROPIC_API_KEY", baseVariable: "ANTHROPIC_BASE_URL", reason: "llm.provider = anthropic")
        case "openai":
            guard set("OPENAI_API_KEY") else { return off("llm.provider = openai but OPENAI_API_KEY is not set") }
            return on("openai", key: "OPENAI_API_KEY", baseVariable: "OPENAI_BASE_URL", reason: "llm.provider = openai")
        case "openai-compatible", "openai_compatible", "ollama", "llama.cpp", "llamacpp", "vllm", "local":
            // A self-hosted server needs no key; one is sent when set.
            return on(
                "openai-compatible", key: set("OPENAI_API_KEY") ? "OPENAI_API_KEY" : nil, baseVariable: "OPENAI_BASE_URL",
                reason: "llm.provider = \(provider)")
        default:
            return off("llm.provider = \(provider) is not a provider engram knows")
        }
    }

    // MARK: what the agent's hooks last decided

    /// The policy as the hooks (and so the worker they start) last saw it, kept in the data dir: the user's shell,
    /// where doctor runs, does not hold Claude Code's environment.
    public struct Seen: Sendable, Equatable, Codable {
        public var policy: LLMPolicy
        public var seenAt: String
        /// The briefing has told the agent (once) that an inherited key switched the LLM on.
        public var announced: Bool
    }

    public static func seen(paths: EngramPaths) -> Seen? {
        guard let data = try? Data(contentsOf: paths.llmPolicy) else { return nil }
        return try? JSONDecoder().decode(Seen.self, from: data)
    }

    /// Records what a hook decided and returns the one-time briefing line when a key inherited from the agent
    /// switched the LLM on (said again only when that decision changes). Never throws: a hook must not fail on it.
    public static func noteFromHook(paths: EngramPaths, config: EngramConfig, env: [String: String], now: String) -> String? {
        let policy = resolve(config: config, env: env)
        let previous = seen(paths: paths)
        let announce = policy.isOn && policy.keyFromAgent && !(previous?.policy == policy && previous?.announced == true)
        let record = Seen(policy: policy, seenAt: now, announced: announce || (previous?.policy == policy && previous?.announced == true))
        // Rewritten only when something changed, or to refresh a day-old time: the hot path stays a read.
        if previous?.policy != record.policy || previous?.announced != record.announced
            || Timestamp.parse(previous?.seenAt ?? "").map({ Date().timeIntervalSince($0) > 86_400 }) ?? true,
            let data = try? JSONEncoder().encode(record)
        {
            let tmp = paths.llmPolicy.appendingPathExtension("tmp")
            if FileManager.default.createFile(atPath: tmp.path, contents: data, attributes: [.posixPermissions: 0o600]) {
                _ = rename(tmp.path, paths.llmPolicy.path)
            }
        }
        guard announce, let provider = policy.provider else { return nil }
        return "engram note (shown once): engram's worker sends tool events and summaries to \(provider)"
            + (policy.baseURL.map { " at \($0)" } ?? "") + " using the \(policy.keyVariable ?? "API key") it inherited from Claude Code; "
            + "the user can \(switchHint)."
    }
}
