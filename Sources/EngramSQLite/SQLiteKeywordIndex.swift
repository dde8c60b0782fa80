import EngramModel
import Foundation
import GRDB

/// Keyword search on the FTS5 table `memory_fts`, ranked with bm25 (column weights title 4, body 1, files 2) through
/// `engram_bm25` (CEngramSQLite.h). A record's index key is its memory_fts rowid, the key `SQLiteVectorStore` gives it.
///
/// Search's statements are cached on the connection (GRDB compiles each statement through an authorizer): a
/// long-lived process (worker, MCP server) compiles them once; the usual id counts (the limit, 4× the limit) keep
/// their number small.
package struct SQLiteKeywordIndex: KeywordIndex {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func ranked(_ query: KeywordQuery, filter: RecordFilter, limit: Int, commonMatches: Int) throws -> [(key: Int64, score: Double)] {
        try firstRanked(FTS5Query.build(query), filter: filter, limit: limit, commonMatches: commonMatches)
    }

    /// The first stage of `built` that finds anything, ranked. The any-word stage leaves out words found in at
    /// least `commonMatches` records when rarer ones are left: bm25 would score every record holding "calls" to
    /// rank the few holding "apply_discount" first.
    package func firstRanked(_ built: FTS5Query.Built, filter: RecordFilter, limit: Int, commonMatches: Int = 2_000) throws -> [(
        key: Int64, score: Double
    )] {
        for stage in [built.all] + [built.pairs].compactMap({ $0 }) {
            let found = try ranked(match: stage, filter: filter, limit: limit)
            if !found.isEmpty { return found }
        }
        guard let any = try narrowedAny(built, commonMatches: commonMatches) else { return [] }
        return try ranked(match: any, filter: filter, limit: limit)
    }

    /// `built.any` without the words found in at least `commonMatches` records, when rarer words are left.
    package func narrowedAny(_ built: FTS5Query.Built, commonMatches: Int = 2_000) throws -> String? {
        guard let any = built.any else { return nil }
        let rare = try writer.read { db in
            try built.terms.filter { term in
                // Counting stops at the cap: a common word costs no more than the cap's rows.
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM memory_fts WHERE memory_fts MATCH ? LIMIT ?)"),
                    arguments: [term, commonMatches]) ?? 0 < commonMatches
            }
        }
        return rare.isEmpty || rare.count == built.terms.count ? any : rare.joined(separator: " OR ")
    }

    /// The best `limit` rowids passing the filters, with their scores (negated bm25). Ranking alone reads only
    /// FTS5's index and document sizes, while a filter inside the MATCH reads every matching row's content (most
    /// of the keyword cost at 100k records); so the filters are checked by rowid on the best few times over, and
    /// the filtered ranking runs only when too few of those pass.
    private func ranked(match: String, filter: RecordFilter, limit: Int) throws -> [(key: Int64, score: Double)] {
        let limit = max(1, min(limit, 500)), widened = limit * 4
        let ranked = try writer.read { db in
            // engram_bm25 is bm25 for every row that can make the first `widened`, each distinct phrase's
            // documents counted once (CEngramSQLite.h).
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT rowid, engram_bm25(memory_fts, ?, ?, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ? ORDER BY 2 LIMIT ?
                        """), arguments: [widened, FTS5Query.phraseKeys(match), match, widened]
            ).map { (key: $0[0] as Int64, score: -($0[1] as Double)) }
        }
        let admitted = try admitted(filter, among: ranked.map(\.key))
        let kept = ranked.filter { admitted.contains($0.key) }
        if kept.count >= limit || ranked.count < widened { return Array(kept.prefix(limit)) }
        return try filteredRanking(match: match, filter: filter, limit: limit)
    }

    /// FTS5's own filtered ranking, the filters inside the MATCH query: exact whatever the filters exclude.
    package func filteredRanking(match: String, filter: RecordFilter, limit: Int) throws -> [(key: Int64, score: Double)] {
        try writer.read { db in
            var sql = "SELECT rowid, bm25(memory_fts, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ?"
            var args: [(any DatabaseValueConvertible)?] = [match]
            Self.appendFilters(filter, to: &sql, &args)
            sql += " ORDER BY 2 LIMIT ?"
            args.append(max(1, min(limit, 500)))
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { (key: $0[0], score: -($0[1] as Double)) }
        }
    }

    /// Records deleted since an index loaded are no FTS rows, so they never pass.
    package func admitted(_ filter: RecordFilter, among keys: [Int64]?) throws -> Set<Int64> {
        if let keys, keys.isEmpty { return [] }
        return try writer.read { db in
            var sql = "SELECT rowid FROM memory_fts WHERE 1"
            var args: [(any DatabaseValueConvertible)?] = []
            if let keys {
                sql += " AND rowid IN (\(keys.map { _ in "?" }.joined(separator: ",")))"
                args.append(contentsOf: keys)
            }
            Self.appendFilters(filter, to: &sql, &args)
            return Set(try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)))
        }
    }

    /// The filter's project, kind and time as `AND` clauses on memory_fts (a global record's project is empty).
    private static func appendFilters(_ f: RecordFilter, to sql: inout String, _ args: inout [(any DatabaseValueConvertible)?]) {
        if let p = f.project { sql += " AND project IN (?, '')"; args.append(p) }
        if !f.kinds.isEmpty {
            sql += " AND kind IN (\(f.kinds.map { _ in "?" }.joined(separator: ",")))"
            args.append(contentsOf: f.kinds.map(\.rawValue).sorted())
        }
        if let since = f.since { sql += " AND created_at >= ?"; args.append(since) }
    }

    package func records(_ keys: [Int64], fullBodies: Bool) throws -> [Int64: SearchRecord] {
        guard !keys.isEmpty else { return [:] }
        return try writer.read { db in
            let sql = """
                SELECT rowid, kind, CAST(ref AS TEXT) AS ref, project, created_at, title,
                       \(fullBodies ? "body" : "substr(body, 1, 160)") AS snip
                FROM memory_fts WHERE rowid IN (\(keys.map { _ in "?" }.joined(separator: ",")))
                """
            var out: [Int64: SearchRecord] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(keys)) {
                out[row["rowid"]] = try Self.record(row, db)
            }
            return out
        }
    }

    private static func record(_ row: Row, _ db: Database) throws -> SearchRecord {
        let kind = RecordKind(rawValue: row["kind"]) ?? .observation
        let ref: String = row["ref"]
        var record = SearchRecord(
            kind: kind, ref: ref, project: row["project"], createdAt: row["created_at"], title: row["title"],
            body: row["snip"] ?? "")
        switch kind {
        case .observation:
            // A cached statement: the query interface builds its SQL anew for every hit.
            if let o = try ObservationRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM observations WHERE id = ?"), arguments: [Int64(ref) ?? -1])
            {
                record.summary = o.summary; record.files = o.files; record.sessionID = o.sessionId
            }
        case .summary:
            record.sessionID = ref
            record.summary = try String.fetchOne(db.cachedStatement(sql: "SELECT summary_text FROM sessions WHERE id = ?"), arguments: [ref]) ?? ""
        case .memory:
            break
        case .learning:
            if let l = try LearningRecord.fetchOne(db, key: Int64(ref) ?? -1) {
                record.summary = l.content; record.category = l.category; record.confidence = l.confidence
            }
        }
        return record
    }
}
