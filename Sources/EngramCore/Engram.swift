import EngramSQLite
import Foundation
import Logging

/// The engine: one value holding what every edge (hooks, CLI, worker, MCP) needs, so a
/// feature is written once here and shown everywhere.
public struct Engram: Sendable {
    public let paths: EngramPaths
    public let config: EngramConfig
    public let store: EngramStore
    /// The aggregates' stores (the same database as `store`, which the code not yet moved behind them still uses).
    public let stores: Stores
    public let clock: EngramClock
    public let events: EventLog
    public let logger: Logger
    public let compressor: any Compressor
    public let privacy: PrivacyFilter
    /// What each stored observation is enriched with once committed (code intelligence, embeddings), set by the runtime.
    public var enrichment: [any EnrichmentStep] = []

    public init(
        paths: EngramPaths, config: EngramConfig, store: EngramStore, clock: EngramClock = .system,
        logger: Logger? = nil, compressor: any Compressor = HeuristicCompressor(), privacy: PrivacyFilter = PrivacyFilter()
    ) {
        self.paths = paths
        self.config = config
        self.store = store
        self.stores = store.stores
        self.clock = clock
        self.events = EventLog(logsDir: paths.logs, clock: clock, retentionDays: max(1, config.int("log.retention_days")))
        self.logger = logger ?? FileLogHandler.logger(paths: paths, level: config.string("log.level"), stderr: false)
        self.compressor = compressor
        self.privacy = privacy
    }

    /// Opens the data directory named by the environment (`ENGRAM_HOME`).
    public static func open(
        env: [String: String] = ProcessInfo.processInfo.environment, mode: EngramStore.Mode = .queue,
        clock: EngramClock = .system, logToStderr: Bool = false
    ) throws -> Engram {
        let paths = EngramPaths.fromEnvironment(env)
        try paths.prepare()
        let config = try EngramConfig.load(paths: paths, env: env)
        let logger = FileLogHandler.logger(paths: paths, level: config.string("log.level"), stderr: logToStderr)
        let store = try EngramStore.open(path: paths.database.path, mode: mode) // paths prepared above: once per hook
        return Engram(paths: paths, config: config, store: store, clock: clock, logger: logger)
    }

    public var now: String { Timestamp.format(clock.now()) }

    /// The same engine with another compressor (an LLM-backed one, or a test double).
    public func with(compressor: any Compressor) -> Engram {
        var e = Engram(paths: paths, config: config, store: store, clock: clock, logger: logger, compressor: compressor, privacy: privacy)
        e.enrichment = enrichment
        return e
    }
}
