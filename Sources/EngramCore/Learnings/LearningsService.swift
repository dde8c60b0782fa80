import Foundation

/// The seed's learnings engine, storage side: dedup, confidence that grows as sessions
/// confirm a learning (0.5 → 0.7 → 0.85 → 0.95), falls when contradicted (−0.3, floor
/// 0.1), and is 1.0 once a person confirms it; soft delete.
public struct LearningsService: Sendable {
    public static let dedupThreshold = 0.85

    public enum Outcome: Sendable, Equatable {
        case added(Int64)
        case reinforced(Int64)
    }

    public enum LearningError: LocalizedError, Equatable {
        case badCategory(String)
        case empty
        case notFound(Int64)
        public var errorDescription: String? {
            switch self {
            case .badCategory(let c): return "Unknown category \"\(c)\": use one of \(LearningRecord.categories.joined(separator: ", "))."
            case .empty: return "A learning needs some text."
            case .notFound(let id): return "No learning L\(id). `engram learnings list` shows their ids."
            }
        }
    }

    let engram: Engram
    /// Finds a near-duplicate among existing learnings; lexical until embeddings are wired in.
    public var similarity: @Sendable (String, String) -> Double = LexicalSimilarity.cosine

    public init(_ engram: Engram) { self.engram = engram }

    /// Confidence after a learning has been seen in `sessions` distinct sessions.
    public static func confidence(forSessions sessions: Int) -> Double {
        switch sessions {
        case ..<2: return 0.5
        case 2: return 0.7
        case 3, 4: return 0.85
        default: return 0.95
        }
    }

    /// Adds a learning, or reinforces the existing one it duplicates (similarity ≥ 0.85).
    @discardableResult
    public func add(category: String, content: String, project: String?, sessionID: String? = nil, manual: Bool = false) throws -> Outcome {
        let category = category.lowercased().blankTrimmed
        guard LearningRecord.categories.contains(category) else { throw LearningError.badCategory(category) }
        let text = engram.privacy.clean(content).spaceTrimmed
        guard !text.isEmpty else { throw LearningError.empty }
        let now = engram.now
        var outcome = Outcome.added(0)
        let written = try engram.stores.learnings.amend(project: project) { active in
            if let match = active.map({ ($0, similarity($0.content, text)) }).filter({ $0.1 >= Self.dedupThreshold }).max(by: { $0.1 < $1.1 })?.0,
                let id = match.id
            {
                outcome = .reinforced(id)
                return reinforced(match, sessionID: sessionID, manual: manual, now: now)
            }
            let record = LearningRecord(
                id: nil, project: project, createdAt: now, updatedAt: now, category: category, content: text,
                confidence: manual ? 1.0 : 0.5, timesSeen: 1, sourceSessions: JSONList.encode(sessionID.map { [$0] } ?? []),
                isManual: manual, isActive: true)
            return .insert(record) { stored in
                EngramEvent(
                    "learning.extracted", ["learning_id": .number(Double(stored.id ?? 0)), "category": .string(category), "manual": .bool(manual)],
                    sessionID: sessionID, project: project, timestamp: now)
            }
        }
        engram.events.stored(written.event.map { [$0] } ?? [])
        if case .added = outcome { return .added(written.learning.id ?? 0) }
        return outcome
    }

    private func reinforced(_ l: LearningRecord, sessionID: String?, manual: Bool, now: String) -> LearningChange {
        var rec = l
        var sessions = JSONList.decode(rec.sourceSessions)
        let newSession = sessionID.map { !sessions.contains($0) } ?? true
        if let sessionID, newSession { sessions.append(sessionID) }
        if newSession { rec.timesSeen += 1 }
        rec.sourceSessions = JSONList.encode(sessions)
        rec.confidence = rec.isManual || manual ? 1.0 : max(rec.confidence, Self.confidence(forSessions: rec.timesSeen))
        rec.isManual = rec.isManual || manual
        rec.updatedAt = now
        return .update(
            rec,
            event: EngramEvent(
                "learning.reinforced",
                [
                    "learning_id": .number(Double(rec.id ?? 0)), "times_seen": .number(Double(rec.timesSeen)),
                    "confidence": .number(rec.confidence),
                ], sessionID: sessionID, project: rec.project, timestamp: now))
    }

    /// New evidence contradicts the learning: confidence −0.3, never below 0.1.
    public func contradict(_ id: Int64, sessionID: String? = nil, reason: String? = nil) throws {
        try update(id) { rec in
            rec.confidence = max(0.1, rec.confidence - 0.3)
            return ("learning.invalidated", ["reason": reason.map(JSONValue.string) ?? .null])
        }
    }

    /// A person confirms it: confidence 1.0 and marked manual.
    public func confirm(_ id: Int64) throws {
        try update(id) { rec in
            rec.confidence = 1.0
            rec.isManual = true
            return ("learning.reinforced", ["manual": true])
        }
    }

    public func edit(_ id: Int64, content: String? = nil, category: String? = nil) throws {
        if let category, !LearningRecord.categories.contains(category.lowercased()) { throw LearningError.badCategory(category) }
        let cleaned = content.map { engram.privacy.clean($0).spaceTrimmed }
        if cleaned?.isEmpty == true { throw LearningError.empty }
        try update(id) { rec in
            if let cleaned { rec.content = cleaned }
            if let category { rec.category = category.lowercased() }
            rec.isManual = true
            return nil
        }
    }

    /// Soft delete: kept in the table, gone from search and briefings.
    public func forget(_ id: Int64) throws {
        try update(id) { rec in
            rec.isActive = false; return nil
        }
    }

    public func list(project: String?, includeInactive: Bool = false, limit: Int = 100) throws -> [LearningRecord] {
        try engram.stores.learnings.list(project: project, includeInactive: includeInactive, limit: limit)
    }

    private func update(_ id: Int64, _ change: @Sendable (inout LearningRecord) -> (String, JSONValue)?) throws {
        let now = engram.now
        let written = try engram.stores.learnings.modify(id, now: now) { rec in
            guard let (type, data) = change(&rec) else { return nil }
            var d = data.objectValue ?? [:]
            d["learning_id"] = .number(Double(id))
            d["confidence"] = .number(rec.confidence)
            return EngramEvent(type, .object(d), project: rec.project, timestamp: now)
        }
        guard let written else { throw LearningError.notFound(id) }
        engram.events.stored(written.event.map { [$0] } ?? [])
    }
}
