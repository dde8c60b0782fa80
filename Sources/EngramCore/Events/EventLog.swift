import Foundation
import GRDB

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

    public struct Event: Sendable {
        public var type: String
        public var data: JSONValue
        public var sessionID: String?
        public var project: String?
        public var durationMs: Int?
        public var tokensIn: Int?
        public var tokensOut: Int?

        public init(_ type: String, _ data: JSONValue = [:], sessionID: String? = nil, project: String? = nil,
                    durationMs: Int? = nil, tokensIn: Int? = nil, tokensOut: Int? = nil) {
            self.type = type; self.data = data; self.sessionID = sessionID; self.project = project
            self.durationMs = durationMs; self.tokensIn = tokensIn; self.tokensOut = tokensOut
        }
    }

    /// Inserts the event inside the caller's transaction, then appends it to the JSONL file.
    public func record(_ event: Event, in db: Database) throws {
        let ts = Timestamp.format(clock.now())
        try db.cachedStatement(sql: """
            INSERT INTO event_log (timestamp, session_id, project, event_type, data, duration_ms, tokens_in, tokens_out)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [ts, event.sessionID, event.project, event.type, event.data.serialized(),
                             event.durationMs, event.tokensIn, event.tokensOut])
        appendToFile(event, timestamp: ts)
    }

    /// Records with its own write; never throws (the event log must not break the work it observes).
    public func record(_ event: Event, store: EngramStore?) {
        if let store {
            do { try store.writer.write { db in try record(event, in: db) }; return } catch {}
        }
        appendToFile(event, timestamp: Timestamp.format(clock.now()))
    }

    func appendToFile(_ event: Event, timestamp: String) {
        guard let logsDir else { return }
        var obj: [String: JSONValue] = ["timestamp": .string(timestamp), "event_type": .string(event.type), "data": event.data]
        if let s = event.sessionID { obj["session_id"] = .string(s) }
        if let p = event.project { obj["project"] = .string(p) }
        if let d = event.durationMs { obj["duration_ms"] = .number(Double(d)) }
        if let t = event.tokensIn { obj["tokens_in"] = .number(Double(t)) }
        if let t = event.tokensOut { obj["tokens_out"] = .number(Double(t)) }
        let line = JSONValue.object(obj).serialized() + "\n"
        let day = String(timestamp.prefix(10))
        let url = logsDir.appendingPathComponent("events-\(day).jsonl")
        let isNew = access(url.path, F_OK) != 0
        LogFile.append(line, to: url)
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
