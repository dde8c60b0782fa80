import Foundation

/// What happened around one observation or one moment: the neighbouring observations,
/// prompts and session boundaries of the same project, oldest first. The middle step of
/// the search → timeline → full record drill-down.
public struct TimelineService: Sendable {
    public enum Anchor: Sendable, Equatable {
        case observation(Int64)
        case time(Date)
    }

    public typealias Entry = TimelineEntry

    public struct Timeline: Sendable, Codable, Equatable {
        public var project: String?
        public var anchorTime: String
        public var entries: [Entry]

        public func render(now: Date) -> String {
            guard !entries.isEmpty else { return "Nothing recorded around \(anchorTime)." }
            return entries.map { e in
                let mark = e.isAnchor ? "→ " : "  "
                let files = e.files.isEmpty ? "" : "  [" + e.files.prefix(3).joined(separator: ", ") + "]"
                return "\(mark)\(e.createdAt) (\(Timestamp.relative(e.createdAt, now: now)))  \(e.id)  \(e.title)\(files)"
            }.joined(separator: "\n")
        }
    }

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    /// Up to `before` entries before the anchor and `after` after it (each capped at 50).
    /// Without `project`, an observation anchor uses its own project; a time anchor spans all projects.
    public func around(_ anchor: Anchor, project: String? = nil, before: Int = 5, after: Int = 5) throws -> Timeline {
        let before = max(0, min(before, 50)), after = max(0, min(after, 50))
        var project = project
        let time: String
        var anchorRecord: ObservationRecord?
        switch anchor {
        case .observation(let id):
            guard let o = try engram.stores.observations.observation(id) else {
                throw EngramError.notFound("observation #\(id). Use `search` to find observation ids.")
            }
            time = o.createdAt
            anchorRecord = o
            if project == nil { project = o.project }
        case .time(let date):
            time = Timestamp.format(date)
        }
        let around = try engram.stores.timeline.around(
            time: time, anchorObservation: anchorRecord?.id, project: project, before: before, after: after)
        var entries = around.earlier
        if let o = anchorRecord, let id = o.id {
            entries.append(
                Entry(
                    id: "#\(id)", kind: "observation", createdAt: o.createdAt, title: o.title, sessionId: o.sessionId,
                    files: o.files, isAnchor: true))
        }
        return Timeline(project: project, anchorTime: time, entries: entries + around.later)
    }
}
