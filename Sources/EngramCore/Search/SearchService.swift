import Foundation
import EngramSQLite
import GRDB

/// Search over observations, session summaries and learnings: full text (one FTS5 index, bm25-ranked,
/// with snippets), vector similarity through an injected `QueryEmbedder`, or both fused by reciprocal rank.
public struct SearchService: Sendable {
    /// `memory`: what an agent saved with `save_memory`, kept apart from captured records (own table and
    /// keyword index) and searched beside them on request (`Query.includeMemories`, or this kind alone).
    public typealias Kind = RecordKind

    public struct Query: Sendable {
        public var text: String
        public var project: String?
        public var kinds: Set<Kind>
        public var since: Date?
        public var limit: Int
        /// Nil: hybrid when an embedder is present, else keyword.
        public var mode: SearchMode?
        /// Saved memories ranked in with the records (they are also searched when `kinds` names `.memory`).
        public var includeMemories: Bool

        public init(text: String, project: String? = nil, kinds: Set<Kind> = [], since: Date? = nil, limit: Int = 10,
                    mode: SearchMode? = nil, includeMemories: Bool = false) {
            self.text = text; self.project = project; self.kinds = kinds; self.since = since; self.limit = limit; self.mode = mode
            self.includeMemories = includeMemories
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
        /// Higher is better: negated bm25 (keyword), cosine (semantic) or the RRF score (hybrid).
        public var score: Double
        public var sessionId: String?
        /// Which ranked lists found it (`keyword`, `semantic`); nil in keyword mode.
        public var matched: [String]?
    }

    let engram: Engram
    /// The embedding model's query side; nil → keyword only.
    public var queryEmbedder: (any QueryEmbedder)?
    /// Vector neighbours below this cosine stay out of hybrid fusion: the nearest of unrelated records would
    /// otherwise pad every result list (unrelated texts score about 0 with all-MiniLM-L6-v2).
    public var hybridSemanticFloor: Double = 0.2
    /// Told why, when a query ran on keywords because the embedder was unavailable (the CLI prints it).
    public var keywordFallback: (@Sendable (String) -> Void)?

    public init(_ engram: Engram, queryEmbedder: (any QueryEmbedder)? = nil) {
        self.engram = engram
        self.queryEmbedder = queryEmbedder
    }

    /// The mode a query runs in: what it asked for, downgraded to keyword when no embedder is present.
    public func effectiveMode(_ q: Query) -> SearchMode {
        guard queryEmbedder != nil else { return .keyword }
        return q.mode ?? .hybrid
    }

    /// Loads the vector index now (a long-lived server calls this at start, off its request path), so the first
    /// semantic search does not pay for it; nothing to do without a query embedder.
    public func warmUp() throws {
        try queryEmbedder?.warmUp(engram.stores.vectors)
    }

    public func search(_ q: Query) throws -> [Hit] {
        let start = DispatchTime.now().uptimeNanoseconds
        let mode = effectiveMode(q)
        var hits: [Hit]
        let memories = q.includeMemories || q.kinds.contains(.memory)
        var records = q
        records.kinds.remove(.memory)
        if memories && !q.kinds.isEmpty && records.kinds.isEmpty {
            hits = []
        } else {
            switch mode {
            case .keyword: hits = try keyword(records).map(\.hit)
            case .semantic, .hybrid: hits = try vectorSearch(records, mode: mode)
            }
        }
        if memories { hits = try withMemories(hits, q, mode: mode) }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        engram.events.record(.init("search.query", ["query": .string(String(q.text.prefix(200))),
                                                    "type": .string(mode == .keyword ? "fts" : mode.rawValue),
                                                    "result_count": .number(Double(hits.count)),
                                                    "top_score": hits.first.map { .number($0.score) } ?? .null],
                                   project: q.project, durationMs: ms), to: engram.stores.events)
        return hits
    }

    /// `hits` and the query's saved memories in one list, fused by rank (reciprocal rank, as hybrid search fuses
    /// its two lists), so the best of either comes first; memories are searched hybrid when records are.
    private func withMemories(_ hits: [Hit], _ q: Query, mode: SearchMode) throws -> [Hit] {
        let limit = max(1, min(q.limit, 500))
        let found = try MemoryService(engram).search(q.text, project: q.project, limit: limit,
                                                     queryEmbedder: mode == .keyword ? nil : queryEmbedder, since: q.since)
        let memoryHits = found.map { m in
            Hit(id: m.id, kind: .memory, title: HeuristicText.oneLine(m.content, limit: HeuristicText.titleLimit),
                summary: HeuristicText.oneLine(m.content, limit: HeuristicText.summaryLimit), snippet: String(m.content.prefix(160)),
                files: [], project: m.project ?? "", createdAt: m.createdAt, score: m.score ?? 0, sessionId: nil,
                matched: m.matched)
        }
        guard !hits.isEmpty else { return Array(memoryHits.prefix(limit)) }
        guard !memoryHits.isEmpty else { return hits }
        // Keys are positions: records 0..<n, memories n..<n+m.
        let fused = HybridSearch.fuse([("records", 1, hits.indices.map(Int64.init)),
                                       ("memories", 1, memoryHits.indices.map { Int64(hits.count + $0) })],
                                      k: max(0, engram.config.double("search.rrf_k"))).prefix(limit)
        return fused.map { f in
            let i = Int(f.key)
            return i < hits.count ? hits[i] : memoryHits[i - hits.count]
        }
    }

    /// bm25 hits with their fts rowids: ranked on FTS5's index alone (see `ranked(_:match:)`), then only the
    /// hits shown are read, their query words highlighted as FTS5's snippet() would.
    func keyword(_ q: Query) throws -> [(rowid: Int64, hit: Hit)] {
        guard let match = FTSQuery.build(q.text) else { return [] }
        let ranked = try firstRanked(q, match)
        let hydrated = try hydrate(rowids: ranked.map(\.rowid), highlighting: HybridSearch.highlightTerms(q.text))
        return ranked.compactMap { r in
            guard var hit = hydrated[r.rowid] else { return nil }
            hit.score = r.score
            return (r.rowid, hit)
        }
    }

    private func vectorSearch(_ q: Query, mode: SearchMode) throws -> [Hit] {
        guard let embedder = queryEmbedder else { return try keyword(q).map(\.hit) }
        let text = q.text.spaceTrimmed
        guard !text.isEmpty else { return [] }
        let limit = max(1, min(q.limit, 500))
        let pool = mode == .hybrid ? max(limit * 3, 50) : limit
        let vector: [Float]
        do {
            vector = try embedder.embedQuery(text)
        } catch let unavailable as QueryEmbedderUnavailable {
            engram.logger.warning("keyword search only: \(unavailable.reason)")
            keywordFallback?(unavailable.reason)
            return try keyword(q).map(\.hit)
        }
        var nearest = try nearestAllowed(embedder, vector, k: pool, q)
        if mode == .semantic {
            let hydrated = try hydrate(rowids: nearest.map(\.rowid))
            return nearest.compactMap { n in
                guard var h = hydrated[n.rowid] else { return nil }
                h.score = n.score; h.matched = ["semantic"]
                return h
            }
        }
        nearest = nearest.filter { $0.score >= hybridSemanticFloor }
        var kq = q
        kq.limit = pool
        let keywordIDs = try keywordRowids(kq)
        let fused = HybridSearch.fuse([
            ("keyword", engram.config.double("search.keyword_weight"), keywordIDs),
            ("semantic", engram.config.double("search.semantic_weight"), nearest.map(\.rowid)),
        ], k: max(0, engram.config.double("search.rrf_k"))).prefix(limit)
        // Only the fused few are hydrated, their query words highlighted as FTS5's snippet would.
        let hydrated = try hydrate(rowids: fused.map(\.key), highlighting: HybridSearch.highlightTerms(text))
        return fused.compactMap { f in
            guard var h = hydrated[f.key] else { return nil }
            h.score = f.score; h.matched = f.lists
            return h
        }
    }

    /// The keyword list of a hybrid search: `keyword(_:)`'s ranking without reading the hits.
    func keywordRowids(_ q: Query) throws -> [Int64] {
        guard let match = FTSQuery.build(q.text) else { return [] }
        return try firstRanked(q, match).map(\.rowid)
    }

    /// The first stage of `built` that finds anything, ranked. The any-word stage leaves out words found in at
    /// least `commonMatches` records when rarer ones are left: bm25 would score every record holding "calls" to
    /// rank the few holding "apply_discount" first.
    func firstRanked(_ q: Query, _ built: FTSQuery.Built, commonMatches: Int = 2_000) throws -> [(rowid: Int64, score: Double)] {
        for stage in [built.all] + [built.pairs].compactMap({ $0 }) {
            let found = try ranked(q, match: stage)
            if !found.isEmpty { return found }
        }
        guard let any = try narrowedAny(built, commonMatches: commonMatches) else { return [] }
        return try ranked(q, match: any)
    }

    /// `built.any` without the words found in at least `commonMatches` records, when rarer words are left.
    func narrowedAny(_ built: FTSQuery.Built, commonMatches: Int = 2_000) throws -> String? {
        guard let any = built.any else { return nil }
        let rare = try engram.store.writer.read { db in
            try built.terms.filter { term in
                // Counting stops at the cap: a common word costs no more than the cap's rows.
                try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM memory_fts WHERE memory_fts MATCH ? LIMIT ?)"),
                                 arguments: [term, commonMatches]) ?? 0 < commonMatches
            }
        }
        return rare.isEmpty || rare.count == built.terms.count ? any : rare.joined(separator: " OR ")
    }

    /// The best `q.limit` rowids passing the filters, with their scores (negated bm25). Ranking alone reads only
    /// FTS5's index and document sizes, while a filter inside the MATCH reads every matching row's content (most
    /// of the keyword cost at 100k records); so the filters are checked by rowid on the best few times over, and
    /// the filtered ranking runs only when too few of those pass.
    private func ranked(_ q: Query, match: String) throws -> [(rowid: Int64, score: Double)] {
        let limit = max(1, min(q.limit, 500)), widened = limit * 4
        let ranked = try engram.store.writer.read { db in
            // engram_bm25 is bm25 for every row that can make the first `widened`, each distinct phrase's
            // documents counted once (CEngramSQLite.h).
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT rowid, engram_bm25(memory_fts, ?, ?, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ? ORDER BY 2 LIMIT ?
                """), arguments: [widened, FTSQuery.phraseKeys(match), match, widened]).map { (rowid: $0[0] as Int64, score: -($0[1] as Double)) }
        }
        let admitted = try allowedRowids(q, among: ranked.map(\.rowid))
        let kept = ranked.filter { admitted.contains($0.rowid) }
        if kept.count >= limit || ranked.count < widened { return Array(kept.prefix(limit)) }
        return try filteredRanking(q, match: match)
    }

    /// The `k` nearest records passing the query's filters. Reading every rowid the filters admit costs a scan of
    /// the FTS content per query (most of a hybrid search at 100k records), so the index's nearest few times over
    /// are checked by rowid instead; only when too few of those pass (a filter excluding most records) does the
    /// exact filtered scan run. Either way the answer is the same: the first `k` admitted in similarity order.
    private func nearestAllowed(_ embedder: any QueryEmbedder, _ vector: [Float], k: Int, _ q: Query) throws -> [(rowid: Int64, score: Double)] {
        let widened = k * 4
        let vectors = engram.stores.vectors
        let wide = try embedder.nearest(vector, k: widened, in: vectors, accept: { _ in true }).map { (rowid: $0.key, score: $0.score) }
        let admitted = try allowedRowids(q, among: wide.map(\.rowid))
        let kept = wide.filter { admitted.contains($0.rowid) }
        if kept.count >= k || wide.count < widened { return Array(kept.prefix(k)) }
        let allowed = try allowedRowids(q)
        return try embedder.nearest(vector, k: k, in: vectors, accept: { allowed.contains($0) }).map { (rowid: $0.key, score: $0.score) }
    }

    /// FTS rowids passing the query's project/kind/since filters (the vector side's filter), among `among` if given.
    /// Records deleted since the index loaded are no FTS rows, so they never pass.
    private func allowedRowids(_ q: Query, among: [Int64]? = nil) throws -> Set<Int64> {
        if let among, among.isEmpty { return [] }
        return try engram.store.writer.read { db in
            var sql = "SELECT rowid FROM memory_fts WHERE 1"
            var args: [(any DatabaseValueConvertible)?] = []
            if let among {
                sql += " AND rowid IN (\(among.map { _ in "?" }.joined(separator: ",")))"
                args.append(contentsOf: among)
            }
            Self.appendFilters(q, to: &sql, &args)
            return Set(try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)))
        }
    }

    /// FTS5's own filtered ranking, the filters inside the MATCH query: exact whatever the filters exclude.
    func filteredRanking(_ q: Query, match: String) throws -> [(rowid: Int64, score: Double)] {
        try engram.store.writer.read { db in
            var sql = "SELECT rowid, bm25(memory_fts, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ?"
            var args: [(any DatabaseValueConvertible)?] = [match]
            Self.appendFilters(q, to: &sql, &args)
            sql += " ORDER BY 2 LIMIT ?"
            args.append(max(1, min(q.limit, 500)))
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { (rowid: $0[0], score: -($0[1] as Double)) }
        }
    }

    /// The query's project, kind and time filters as `AND` clauses on memory_fts.
    private static func appendFilters(_ q: Query, to sql: inout String, _ args: inout [(any DatabaseValueConvertible)?]) {
        if let p = q.project { sql += " AND project IN (?, '')"; args.append(p) }
        if !q.kinds.isEmpty {
            sql += " AND kind IN (\(q.kinds.map { _ in "?" }.joined(separator: ",")))"
            args.append(contentsOf: q.kinds.map(\.rawValue).sorted())
        }
        if let since = q.since { sql += " AND created_at >= ?"; args.append(Timestamp.format(since)) }
    }

    /// Hits for `rowids`; the snippet is the body's start, or with `highlighting` terms a window around them.
    /// Search's statements are cached on the connection (GRDB compiles each statement through an authorizer): a
    /// long-lived process (worker, MCP server) compiles them once; the usual id counts (the limit, 4× the limit)
    /// keep their number small.
    private func hydrate(rowids: [Int64], highlighting terms: [String] = []) throws -> [Int64: Hit] {
        guard !rowids.isEmpty else { return [:] }
        return try engram.store.writer.read { db in
            let sql = """
                SELECT rowid, kind, CAST(ref AS TEXT) AS ref, project, created_at, title,
                       \(terms.isEmpty ? "substr(body, 1, 160)" : "body") AS snip, 0.0 AS rank
                FROM memory_fts WHERE rowid IN (\(rowids.map { _ in "?" }.joined(separator: ",")))
                """
            var out: [Int64: Hit] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(rowids)) {
                var hit = try hydrate(row, db)
                if !terms.isEmpty {
                    hit.snippet = HybridSearch.highlight(hit.snippet, terms: terms) ?? String(hit.snippet.prefix(160))
                }
                out[row["rowid"]] = hit
            }
            return out
        }
    }

    private func hydrate(_ row: Row, _ db: Database) throws -> Hit {
        let kind = Kind(rawValue: row["kind"]) ?? .observation
        let ref: String = row["ref"]
        let rank: Double = row["rank"]
        var hit = Hit(id: "", kind: kind, title: row["title"], summary: "", snippet: row["snip"] ?? "", files: [],
                      project: row["project"], createdAt: row["created_at"], score: -rank, sessionId: nil, matched: nil)
        switch kind {
        case .observation:
            hit.id = "#" + ref
            // A cached statement: the query interface builds its SQL anew for every hit.
            if let o = try ObservationRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM observations WHERE id = ?"), arguments: [Int64(ref) ?? -1]) {
                hit.summary = o.summary; hit.files = o.files; hit.sessionId = o.sessionId
            }
        case .summary:
            hit.id = "session:" + ref
            hit.sessionId = ref
            hit.summary = try String.fetchOne(db.cachedStatement(sql: "SELECT summary_text FROM sessions WHERE id = ?"), arguments: [ref]) ?? ""
            hit.title = "Session summary (\(hit.createdAt.prefix(10)))"
        case .memory:
            hit.id = "M" + ref
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

/// Turns what a person types into safe FTS5 MATCH expressions: words become quoted terms (so `auth.py`,
/// `don't` or `AND` can't be read as syntax), the last one a prefix; words that only make a question a
/// sentence ("why did the … fail") are left out, since every record holds them. Tried in order: every word,
/// then any two of them, then any one: a question rarely has all its words in one record, and any word alone
/// matches a third of the store (all of which bm25 must score).
public enum FTSQuery {
    public struct Built: Sendable, Equatable {
        /// Every term must match.
        public var all: String
        /// Any two terms together (nil below three terms).
        public var pairs: String?
        /// Any term may match (nil for a single term).
        public var any: String?
        /// The quoted terms `any` joins.
        public var terms: [String] = []

        /// The expressions to try, strictest first.
        public var stages: [String] { [all] + [pairs, any].compactMap { $0 } }
    }

    /// One key per phrase of `match`, in order of appearance (FTS5 numbers phrases so), equal for equal phrases:
    /// `engram_bm25`'s phrase keys. Phrases are the quoted terms this builder writes (`""` an escaped quote), a
    /// trailing `*` part of the phrase.
    public static func phraseKeys(_ match: String) -> String {
        var keys: [String: Int] = [:]
        var out: [String] = []
        let chars = Array(match)
        var i = 0
        while i < chars.count {
            guard chars[i] == "\"" else { i += 1; continue }
            var phrase = ""
            var j = i + 1
            while j < chars.count {
                if chars[j] == "\"" {
                    if j + 1 < chars.count && chars[j + 1] == "\"" { phrase.append("\""); j += 2; continue }
                    break
                }
                phrase.append(chars[j])
                j += 1
            }
            j += 1
            if j < chars.count && chars[j] == "*" { phrase.append("*"); j += 1 }
            let key = keys[phrase] ?? keys.count
            keys[phrase] = key
            out.append(String(key))
            i = j
        }
        return out.joined(separator: " ")
    }

    /// The FTS5 expressions of `KeywordQuery.parse(text)`; nil when the text has no terms.
    public static func build(_ text: String) -> Built? {
        guard let query = KeywordQuery.parse(text) else { return nil }
        let stages = query.stages
        return Built(all: FTS5Expression.match(query, .all), pairs: stages.contains(.pairs) ? FTS5Expression.match(query, .pairs) : nil,
                     any: stages.contains(.any) ? FTS5Expression.match(query, .any) : nil, terms: FTS5Expression.phrases(query))
    }
}
