import Foundation

/// The seed's structured event log: every event goes to the `event_log` table (for the
/// eval queries) and to a daily JSONL file in `logs/` (kept `log.retention_days`).
public struct EventLog: Sendable {
    public let logsDir: URL?
    public let clock: EngramClock
    public let retentionDays: Int

    public init(logsDir: URL?, clock: EngramClock = .system, retentionDays: Int = 30) {
        self.logsDir = logsDir
        self.clock = clock
        self.retentionDays = retentionDays
    }

    public typealias Event = EngramEvent

    /// Appends to the JSONL file events a store has already written to its table (in the transaction of the change
    /// they tell of).
    public func stored(_ events: [Event]) {
        let ts = Timestamp.format(clock.now())
        appendToFile(events.map { Self.line($0, data: $0.data.serialized(), timestamp: $0.timestamp ?? ts) }.joined(), timestamp: ts)
    }

    /// Writes `events` to the store's table in one transaction, then appends them to the JSONL file; throws when the
    /// store cannot write them (nothing is appended then), for a caller whose work depends on the record (the LLM budget).
    public func append(_ events: [Event], to store: any EventStore) throws {
        guard !events.isEmpty else { return }
        let ts = Timestamp.format(clock.now())
        try store.append(events, now: ts)
        appendToFile(events.map { Self.line($0, data: $0.data.serialized(), timestamp: $0.timestamp ?? ts) }.joined(), timestamp: ts)
    }

    /// Records with its own write; never throws (the event log must not break the work it observes).
    public func record(_ event: Event, to store: (any EventStore)?) {
        let ts = Timestamp.format(clock.now())
        if let store { try? store.append([event], now: ts) }
        appendToFile(Self.line(event, data: event.data.serialized(), timestamp: event.timestamp ?? ts), timestamp: ts)
    }

    /// One JSONL line, keys sorted like every serialized JSONValue; `data` is already serialized
    /// (for the table) and, sorting first, is spliced in rather than serialized again.
    static func line(_ event: Event, data: String, timestamp: String) -> String {
        var obj: [String: JSONValue] = ["timestamp": .string(timestamp), "event_type": .string(event.type)]
        if let s = event.sessionID { obj["session_id"] = .string(s) }
        if let p = event.project { obj["project"] = .string(p) }
        if let d = event.durationMs { obj["duration_ms"] = .number(Double(d)) }
        if let t = event.tokensIn { obj["tokens_in"] = .number(Double(t)) }
        if let t = event.tokensOut { obj["tokens_out"] = .number(Double(t)) }
        let rest = JSONValue.object(obj).serialized()
        return "{\"data\":" + data + "," + rest.dropFirst() + "\n"
    }

    func appendToFile(_ lines: String, timestamp: String) {
        guard let logsDir, !lines.isEmpty else { return }
        let day = String(timestamp.prefix(10))
        let url = logsDir.appendingPathComponent("events-\(day).jsonl", isDirectory: false)
        let isNew = access(url.path, F_OK) != 0
        LogFile.append(lines, to: url)
        if isNew { prune() }
    }

    /// Deletes daily files older than the retention window (run when a new day's file starts).
    func prune() {
        guard let logsDir, let names = try? FileManager.default.contentsOfDirectory(atPath: logsDir.path) else { return }
        let cutoff = Timestamp.format(clock.now().addingTimeInterval(-Double(retentionDays) * 86400)).prefix(10)
        for name in names where name.hasPrefix("events-") && name.hasSuffix(".jsonl") {
            let day = name.dropFirst("events-".count).prefix(10)
            if day < cutoff { try? FileManager.default.removeItem(at: logsDir.appendingPathComponent(name)) }
        }
    }
}

/// Appends text to a file with O_APPEND, so concurrent hook processes never interleave a line.
enum LogFile {
    static func append(_ text: String, to url: URL) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
