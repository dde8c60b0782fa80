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
        "ENGRAM_" + String(name.uppercased().map { $0 == "." ? "_" : $0 })
    }
}

extension ConfigKey {
    /// The settings engram knows. Unknown keys in a config file are reported by `engram config show`.
    public static let all: [ConfigKey] = [
        ConfigKey(
            name: "context.budget", kind: .int, defaultValue: "2000",
            help: "Token budget of the session-start briefing."),
        ConfigKey(
            name: "context.max_sessions", kind: .int, defaultValue: "5",
            help: "Most recent sessions listed in the briefing."),
        ConfigKey(
            name: "capture.skip_tools", kind: .stringList,
            defaultValue: "TodoWrite,TodoRead,ExitPlanMode,KillShell,KillBash,AskUserQuestion,ToolSearch,mcp__engram__*,mcp__plugin_engram_*",
            help:
                "Tools whose calls carry no information worth keeping; their events are dropped. A trailing * matches a prefix (engram's own MCP tools are always skipped)."
        ),
        ConfigKey(
            name: "capture.max_payload_bytes", kind: .int, defaultValue: "262144",
            help: "Upper bound on the stored size of one captured tool event; longer outputs keep head and tail."),
        ConfigKey(
            name: "processing.max_attempts", kind: .int, defaultValue: "5",
            help: "Attempts before a queue item is marked failed."),
        ConfigKey(
            name: "processing.batch_size", kind: .int, defaultValue: "200",
            help: "Queue items processed per transaction."),
        ConfigKey(
            name: "processing.finish_wait_seconds", kind: .double, defaultValue: "20",
            help: "At Stop, how long the summary waits for the session's items another processor holds before taking them over."),
        ConfigKey(
            name: "search.limit", kind: .int, defaultValue: "10",
            help: "Default number of search results."),
        ConfigKey(
            name: "log.level", kind: .string, defaultValue: "info",
            help: "Log level of logs/engram.log: trace, debug, info, warning, error."),
        ConfigKey(
            name: "log.retention_days", kind: .int, defaultValue: "30",
            help: "Days of JSONL event logs kept in logs/."),
        ConfigKey(
            name: "worker.idle_timeout_minutes", kind: .int, defaultValue: "30",
            help: "The worker exits after this many minutes without work."),
        ConfigKey(
            name: "worker.idle_timeout_seconds", kind: .int, defaultValue: "0",
            help: "When above 0, overrides worker.idle_timeout_minutes with a finer value."),
        ConfigKey(
            name: "worker.concurrency", kind: .int, defaultValue: "2",
            help: "Queue items the worker compresses at the same time (1-16)."),
        ConfigKey(
            name: "worker.poll_seconds", kind: .double, defaultValue: "2",
            help: "How often an idle worker looks at the queue (it also wakes on POST /api/process)."),
        ConfigKey(
            name: "worker.autostart", kind: .bool, defaultValue: "true",
            help: "Hooks start the worker in the background when it is not running (at most once per 30 s)."),
        ConfigKey(
            name: "llm.enabled", kind: .bool, defaultValue: "true",
            help:
                "The one switch for the LLM: false keeps everything on this machine (heuristics only), whatever keys Claude Code's environment passes to the hooks."
        ),
        ConfigKey(
            name: "llm.provider", kind: .string, defaultValue: "auto",
            help:
                "auto (Anthropic if ANTHROPIC_API_KEY is set, else OpenAI if OPENAI_API_KEY is set), anthropic, openai, ollama/openai-compatible, or none."
        ),
        ConfigKey(
            name: "llm.base_url", kind: .string, defaultValue: "",
            help: "The provider's base URL (empty: the provider's public endpoint, or Ollama's local one)."),
        ConfigKey(
            name: "llm.observation_model", kind: .string, defaultValue: "",
            help: "Model that compresses tool events (empty: a Haiku-class default)."),
        ConfigKey(
            name: "llm.summary_model", kind: .string, defaultValue: "",
            help: "Model for session summaries and learnings (empty: a Sonnet-class default)."),
        ConfigKey(
            name: "llm.daily_token_budget", kind: .int, defaultValue: "1000000",
            help: "Input + output tokens the worker may spend per day; 0 means no limit."),
        ConfigKey(
            name: "llm.timeout_seconds", kind: .double, defaultValue: "60",
            help: "Hard limit for one LLM request."),
        ConfigKey(
            name: "llm.max_retries", kind: .int, defaultValue: "2",
            help: "Retries of one LLM request on 429/5xx/timeouts before the item is kept raw for later."),
        ConfigKey(
            name: "embeddings.model", kind: .string, defaultValue: "all-MiniLM-L6-v2",
            help:
                "Embedding model: a folder under $ENGRAM_HOME/models (local, see `engram model list`; not installed → keyword search only), or the server's model name (openai-compatible)."
        ),
        ConfigKey(
            name: "embeddings.provider", kind: .string, defaultValue: "local",
            help: "Where vectors come from: local (the built-in encoder), openai-compatible, or none."),
        ConfigKey(
            name: "embeddings.base_url", kind: .string, defaultValue: "",
            help: "Base URL of an OpenAI-compatible embeddings endpoint (with embeddings.provider = openai-compatible)."),
        ConfigKey(
            name: "embeddings.api_key_env", kind: .string, defaultValue: "OPENAI_API_KEY",
            help: "Environment variable holding the API key for embeddings.provider = openai-compatible (unset: no key is sent)."),
        ConfigKey(
            name: "embeddings.dimensions", kind: .int, defaultValue: "0",
            help: "Vector length to ask an openai-compatible server for (its `dimensions` field); 0: the model's own."),
        ConfigKey(
            name: "embeddings.timeout_seconds", kind: .double, defaultValue: "10",
            help: "Hard limit for one request to an openai-compatible embeddings server."),
        ConfigKey(
            name: "embeddings.int8", kind: .bool, defaultValue: "false",
            help:
                "Rank semantic hits by the index's int8 scores alone (cosine error about 1e-3) instead of re-reading the few float32 vectors that could make the top."
        ),
        ConfigKey(
            name: "search.rrf_k", kind: .double, defaultValue: "60",
            help: "Reciprocal rank fusion constant k: score = sum of weight / (k + rank)."),
        ConfigKey(
            name: "search.keyword_weight", kind: .double, defaultValue: "1.0",
            help: "Weight of the full-text (bm25) list in hybrid search."),
        ConfigKey(
            name: "search.semantic_weight", kind: .double, defaultValue: "1.0",
            help: "Weight of the vector-similarity list in hybrid search."),
    ]

    public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}
