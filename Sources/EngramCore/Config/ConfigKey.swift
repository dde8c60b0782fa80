/// One configuration setting: its dotted name, default and meaning.
/// Every key can be set in `config.toml` (`[section]` + `key = value`) or by the
/// environment variable `ENGRAM_` + the key upper-cased with dots as underscores
/// (`context.budget` → `ENGRAM_CONTEXT_BUDGET`).
public struct ConfigKey: Sendable, Hashable {
    public enum Kind: String, Sendable { case int, double, bool, string, stringList }

    public let name: String
    public let kind: Kind
    public let defaultValue: String
    public let help: String

    public var environmentName: String {
        "ENGRAM_" + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}

extension ConfigKey {
    /// The settings engram knows. Unknown keys in a config file are reported by `engram config show`.
    public static let all: [ConfigKey] = [
        ConfigKey(name: "context.budget", kind: .int, defaultValue: "2000",
                  help: "Token budget of the session-start briefing."),
        ConfigKey(name: "context.max_sessions", kind: .int, defaultValue: "5",
                  help: "Most recent sessions listed in the briefing."),
        ConfigKey(name: "capture.skip_tools", kind: .stringList,
                  defaultValue: "TodoWrite,TodoRead,ExitPlanMode,KillShell,KillBash,AskUserQuestion",
                  help: "Tools whose calls carry no information worth keeping; their events are dropped."),
        ConfigKey(name: "capture.max_payload_bytes", kind: .int, defaultValue: "262144",
                  help: "Upper bound on the stored size of one captured tool event; longer outputs keep head and tail."),
        ConfigKey(name: "processing.max_attempts", kind: .int, defaultValue: "5",
                  help: "Attempts before a queue item is marked failed."),
        ConfigKey(name: "processing.batch_size", kind: .int, defaultValue: "200",
                  help: "Queue items processed per transaction."),
        ConfigKey(name: "search.limit", kind: .int, defaultValue: "10",
                  help: "Default number of search results."),
        ConfigKey(name: "log.level", kind: .string, defaultValue: "info",
                  help: "Log level of logs/engram.log: trace, debug, info, warning, error."),
        ConfigKey(name: "log.retention_days", kind: .int, defaultValue: "30",
                  help: "Days of JSONL event logs kept in logs/."),
        ConfigKey(name: "worker.idle_timeout_minutes", kind: .int, defaultValue: "30",
                  help: "The worker exits after this many minutes without work."),
        ConfigKey(name: "embeddings.model", kind: .string, defaultValue: "all-MiniLM-L6-v2",
                  help: "Embedding model (a folder under $ENGRAM_HOME/models, see `engram model list`); not installed → keyword search only."),
        ConfigKey(name: "embeddings.provider", kind: .string, defaultValue: "local",
                  help: "Where vectors come from: local (the built-in encoder), openai-compatible, or none."),
        ConfigKey(name: "embeddings.base_url", kind: .string, defaultValue: "",
                  help: "Base URL of an OpenAI-compatible embeddings endpoint (with embeddings.provider = openai-compatible)."),
        ConfigKey(name: "embeddings.int8", kind: .bool, defaultValue: "false",
                  help: "Keep the in-memory vector index as int8 (4x less memory, cosine error about 1e-3)."),
        ConfigKey(name: "search.rrf_k", kind: .double, defaultValue: "60",
                  help: "Reciprocal rank fusion constant k: score = sum of weight / (k + rank)."),
        ConfigKey(name: "search.keyword_weight", kind: .double, defaultValue: "1.0",
                  help: "Weight of the full-text (bm25) list in hybrid search."),
        ConfigKey(name: "search.semantic_weight", kind: .double, defaultValue: "1.0",
                  help: "Weight of the vector-similarity list in hybrid search."),
    ]

    public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}
