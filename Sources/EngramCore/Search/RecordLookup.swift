import Foundation

/// Full records by the ids search prints: `#42`/`42` (observation), `session:ID`, `L7` (learning).
public struct RecordLookup: Sendable {
    public struct Record: Sendable, Codable, Equatable {
        public var id: String
        /// observation | session | learning | missing
        public var kind: String
        public var title: String
        public var createdAt: String?
        public var sessionId: String?
        public var project: String?
        public var toolName: String?
        public var summary: String?
        public var detail: String?
        public var files: [String]
        public var functionsChanged: JSONValue?
        public var observations: [String]?
        public var prompts: [String]?
        public var confidence: Double?
        public var status: String?

        public func render(now: Date) -> String {
            var lines: [String] = []
            let when = createdAt.map { " (\(Timestamp.relative($0, now: now)), \($0))" } ?? ""
            lines.append("\(id) \(kind)\(when)")
            lines.append(title)
            if let toolName { lines.append("tool: \(toolName)") }
            if let sessionId, kind != "session" { lines.append("session: \(sessionId)") }
            if let status { lines.append("status: \(status)") }
            if let confidence { lines.append(String(format: "confidence: %.2f", confidence)) }
            if !files.isEmpty { lines.append("files: " + files.joined(separator: ", ")) }
            if let prompts, !prompts.isEmpty { lines.append("asked:"); lines += prompts.map { "  - " + $0 } }
            if let summary, !summary.isEmpty { lines.append(""); lines.append(summary) }
            if let detail, !detail.isEmpty { lines.append(""); lines.append(detail) }
            if let observations, !observations.isEmpty { lines.append(""); lines.append("observations:"); lines += observations.map { "  " + $0 } }
            return lines.joined(separator: "\n")
        }
    }

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    public func fetch(_ ids: [String]) throws -> [Record] {
        try ids.map(fetch)
    }

    func fetch(_ raw: String) throws -> Record {
        let id = raw.blankTrimmed
        let missing = Record(id: id, kind: "missing", title: "No record \(id)", files: [])
        let stores = engram.stores
        if let n = Int64(id.drop(while: { $0 == "#" })) ?? (id.lowercased().hasPrefix("obs-") ? Int64(id.dropFirst(4)) : nil) {
            guard let o = try stores.observations.observation(n) else { return missing }
            return Record(
                id: "#\(n)", kind: "observation", title: o.title, createdAt: o.createdAt, sessionId: o.sessionId,
                project: o.project, toolName: o.toolName, summary: o.summary, detail: o.detail, files: o.files,
                functionsChanged: try? JSONValue.parse(o.functionsChanged))
        }
        if id.count > 1, id.first == "L" || id.first == "l", let n = Int64(id.dropFirst()) {
            guard let l = try stores.learnings.learning(n) else { return missing }
            return Record(
                id: "L\(n)", kind: "learning", title: "\(l.category.capitalized)", createdAt: l.createdAt, project: l.project,
                summary: l.content, files: [], confidence: l.confidence, status: l.isActive ? "active" : "forgotten")
        }
        let sid = id.hasPrefix("session:") ? String(id.dropFirst("session:".count)) : id
        guard let s = try stores.sessions.session(sid) else { return missing }
        let prompts = try stores.sessions.prompts(sessionID: sid)
        let obs = try stores.observations.observations(sessionID: sid, limit: Int(Int32.max)).map { "#\($0.id ?? 0) \($0.title)" }
        return Record(
            id: "session:\(sid)", kind: "session", title: "Session in \(s.project)", createdAt: s.startedAt, sessionId: sid,
            project: s.project, summary: s.summaryText, detail: s.lastAssistantMessage.map { "Last message: " + $0 },
            files: [], observations: obs, prompts: prompts, status: s.status)
    }
}
