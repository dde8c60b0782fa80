import Foundation
import GRDB

/// Full-text search over observations, session summaries and learnings (one FTS5 index,
/// bm25-ranked, with snippets).
public struct SearchService: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case observation, summary, learning }

    public struct Query: Sendable {
        public var text: String
        public var project: String?
        public var kinds: Set<Kind>
        public var since: Date?
        public var limit: Int

        public init(text: String, project: String? = nil, kinds: Set<Kind> = [], since: Date? = nil, limit: Int = 10) {
            self.text = text; self.project = project; self.kinds = kinds; self.since = since; self.limit = limit
        }
    }

    public struct Hit: Sendable, Codable, Equatable {
        /// `#42` for an observation, `session:<id>` for a summary, `L7` for a learning: what `engram show` takes.
        public var id: String
        public var kind: Kind
        public var title: String
        public var summary: String
        public var snippet: String
        public var files: [String]
        public var project: String
        public var createdAt: String
        /// Higher is better (negated bm25).
        public var score: Double
        public var sessionId: String?
    }

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    public func search(_ q: Query) throws -> [Hit] {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let match = FTSQuery.build(q.text) else { return [] }
        var hits = try run(q, match: match.all)
        if hits.isEmpty, let any = match.any { hits = try run(q, match: any) }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        engram.events.record(.init("search.query", ["query": .string(String(q.text.prefix(200))), "type": "fts",
                                                    "result_count": .number(Double(hits.count)),
                                                    "top_score": hits.first.map { .number($0.score) } ?? .null],
                                   project: q.project, durationMs: ms), store: engram.store)
        return hits
    }

    func run(_ q: Query, match: String) throws -> [Hit] {
        try engram.store.writer.read { db in
            var sql = """
                SELECT rowid, kind, CAST(ref AS TEXT) AS ref, project, created_at, title,
                       snippet(memory_fts, 1, '«', '»', '…', 16) AS snip, bm25(memory_fts, 4.0, 1.0, 2.0) AS rank
                FROM memory_fts WHERE memory_fts MATCH ?
                """
            var args: [(any DatabaseValueConvertible)?] = [match]
            if let p = q.project { sql += " AND project IN (?, '')"; args.append(p) }
            if !q.kinds.isEmpty {
                sql += " AND kind IN (\(q.kinds.map { _ in "?" }.joined(separator: ",")))"
                args.append(contentsOf: q.kinds.map(\.rawValue).sorted())
            }
            if let since = q.since { sql += " AND created_at >= ?"; args.append(Timestamp.format(since)) }
            sql += " ORDER BY rank LIMIT ?"
            args.append(max(1, min(q.limit, 500)))
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
            return try rows.map { row in try hydrate(row, db) }
        }
    }

    private func hydrate(_ row: Row, _ db: Database) throws -> Hit {
        let kind = Kind(rawValue: row["kind"]) ?? .observation
        let ref: String = row["ref"]
        let rank: Double = row["rank"]
        var hit = Hit(id: "", kind: kind, title: row["title"], summary: "", snippet: row["snip"] ?? "", files: [],
                      project: row["project"], createdAt: row["created_at"], score: -rank, sessionId: nil)
        switch kind {
        case .observation:
            hit.id = "#" + ref
            if let o = try ObservationRecord.fetchOne(db, key: Int64(ref) ?? -1) {
                hit.summary = o.summary; hit.files = o.files; hit.sessionId = o.sessionId
            }
        case .summary:
            hit.id = "session:" + ref
            hit.sessionId = ref
            hit.summary = try String.fetchOne(db, sql: "SELECT summary_text FROM sessions WHERE id = ?", arguments: [ref]) ?? ""
            hit.title = "Session summary (\(hit.createdAt.prefix(10)))"
        case .learning:
            hit.id = "L" + ref
            if let l = try LearningRecord.fetchOne(db, key: Int64(ref) ?? -1) {
                hit.summary = l.content
                hit.title = "\(l.category.capitalized) [\(String(format: "%.2f", l.confidence))]"
            }
        }
        return hit
    }
}

/// Turns what a person types into a safe FTS5 MATCH expression: words become quoted
/// terms (so `auth.py`, `don't` or `AND` can't be read as syntax), the last one a prefix.
public enum FTSQuery {
    public struct Built: Sendable, Equatable {
        /// Every term must match.
        public var all: String
        /// Any term may match: the fallback when `all` finds nothing (nil for a single term).
        public var any: String?
    }

    public static func build(_ text: String) -> Built? {
        var terms: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || scalar == "_" { current.unicodeScalars.append(scalar) }
            else if !current.isEmpty { terms.append(current); current = "" }
        }
        if !current.isEmpty { terms.append(current) }
        terms = terms.filter { !$0.isEmpty }
        guard !terms.isEmpty else { return nil }
        var seen = Set<String>()
        terms = terms.filter { seen.insert($0.lowercased()).inserted }.prefix(32).map { $0 }
        let quoted = terms.enumerated().map { i, t in
            "\"\(t)\"" + (i == terms.count - 1 && t.count >= 3 ? "*" : "")
        }
        return Built(all: quoted.joined(separator: " "), any: terms.count > 1 ? quoted.joined(separator: " OR ") : nil)
    }
}
