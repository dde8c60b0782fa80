import EngramCore
import Foundation

/// Reads events of one type back from the daily `events-YYYY-MM-DD.jsonl` files. Some events are
/// written to the file only (search records with `store: nil`, so a search never waits on a write
/// lock); the dashboard reads those from here.
struct EventFileReader: Sendable {
    let logsDir: URL

    struct Event: Sendable, Equatable {
        var timestamp: String
        var project: String?
        var data: JSONValue
        var durationMs: Int?
    }

    /// Events of `type` with `timestamp >= since`, for `project` when given. Unreadable lines are skipped.
    func events(type: String, since: String, project: String?) -> [Event] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: logsDir.path) else { return [] }
        let firstDay = String(since.prefix(10))
        var out: [Event] = []
        for name in names.sorted() where name.hasPrefix("events-") && name.hasSuffix(".jsonl") {
            let day = String(name.dropFirst("events-".count).prefix(10))
            guard day >= firstDay, let data = FileManager.default.contents(atPath: logsDir.appendingPathComponent(name).path) else { continue }
            let needle = Data("\"event_type\":\"\(type)\"".utf8)
            for line in data.split(separator: 0x0A) where line.range(of: needle) != nil {
                guard let v = try? JSONValue.parse(Data(line)), v["event_type"]?.stringValue == type,
                    let ts = v["timestamp"]?.stringValue, ts >= since
                else { continue }
                let p = v["project"]?.stringValue
                if let project, p != project { continue }
                out.append(Event(timestamp: ts, project: p, data: v["data"] ?? .null, durationMs: v["duration_ms"]?.intValue))
            }
        }
        return out
    }
}
