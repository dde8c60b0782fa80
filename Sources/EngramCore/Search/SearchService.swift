import Foundation

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

        public init(
            text: String, project: String? = nil, kinds: Set<Kind> = [], since: Date? = nil, limit: Int = 10,
            mode: SearchMode? = nil, includeMemories: Bool = false
        ) {
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
        engram.events.record(
            .init(
                "search.query",
                [
                    "query": .string(String(q.text.prefix(200))),
                    "type": .string(mode == .keyword ? "fts" : mode.rawValue),
                    "result_count": .number(Double(hits.count)),
                    "top_score": hits.first.map { .number($0.score) } ?? .null,
                ],
                project: q.project, durationMs: ms), to: engram.stores.events)
        return hits
    }

    /// `hits` and the query's saved memories in one list, fused by rank (reciprocal rank, as hybrid search fuses
    /// its two lists), so the best of either comes first; memories are searched hybrid when records are.
    private func withMemories(_ hits: [Hit], _ q: Query, mode: SearchMode) throws -> [Hit] {
        let limit = max(1, min(q.limit, 500))
        let found = try MemoryService(engram).search(
            q.text, project: q.project, limit: limit,
            queryEmbedder: mode == .keyword ? nil : queryEmbedder, since: q.since)
        let memoryHits = found.map { m in
            Hit(
                id: m.id, kind: .memory, title: HeuristicText.oneLine(m.content, limit: HeuristicText.titleLimit),
                summary: HeuristicText.oneLine(m.content, limit: HeuristicText.summaryLimit), snippet: String(m.content.prefix(160)),
                files: [], project: m.project ?? "", createdAt: m.createdAt, score: m.score ?? 0, sessionId: nil,
                matched: m.matched)
        }
        guard !hits.isEmpty else { return Array(memoryHits.prefix(limit)) }
        guard !memoryHits.isEmpty else { return hits }
        // Keys are positions: records 0..<n, memories n..<n+m.
        let fused = HybridSearch.fuse(
            [
                ("records", 1, hits.indices.map(Int64.init)),
                ("memories", 1, memoryHits.indices.map { Int64(hits.count + $0) }),
            ],
            k: max(0, engram.config.double("search.rrf_k"))
        ).prefix(limit)
        return fused.map { f in
            let i = Int(f.key)
            return i < hits.count ? hits[i] : memoryHits[i - hits.count]
        }
    }

    /// Keyword hits with their index keys: ranked by the keyword index, then only the hits shown are read, their
    /// query words highlighted as FTS5's snippet() would.
    func keyword(_ q: Query) throws -> [(rowid: Int64, hit: Hit)] {
        guard let query = KeywordQuery.parse(q.text) else { return [] }
        let ranked = try engram.stores.keywords.ranked(query, filter: Self.filter(q), limit: q.limit, commonMatches: Self.commonMatches)
        let hydrated = try hydrate(rowids: ranked.map(\.key), highlighting: HybridSearch.highlightTerms(q.text))
        return ranked.compactMap { r in
            guard var hit = hydrated[r.key] else { return nil }
            hit.score = r.score
            return (r.key, hit)
        }
    }

    /// Words found in at least this many records are left out of the any-word stage while rarer ones are left.
    static let commonMatches = 2_000

    /// The query's project, kind and time filters.
    static func filter(_ q: Query) -> RecordFilter {
        RecordFilter(project: q.project, kinds: q.kinds, since: q.since.map(Timestamp.format))
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
        let fused = HybridSearch.fuse(
            [
                ("keyword", engram.config.double("search.keyword_weight"), keywordIDs),
                ("semantic", engram.config.double("search.semantic_weight"), nearest.map(\.rowid)),
            ], k: max(0, engram.config.double("search.rrf_k"))
        ).prefix(limit)
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
        guard let query = KeywordQuery.parse(q.text) else { return [] }
        return try engram.stores.keywords.ranked(query, filter: Self.filter(q), limit: q.limit, commonMatches: Self.commonMatches).map(\.key)
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

    /// Index keys passing the query's project/kind/since filters (the vector side's filter), among `among` if given.
    /// Records deleted since the index loaded are not in the keyword index, so they never pass.
    private func allowedRowids(_ q: Query, among: [Int64]? = nil) throws -> Set<Int64> {
        try engram.stores.keywords.admitted(Self.filter(q), among: among)
    }

    /// Hits for `rowids`; the snippet is the body's start, or with `highlighting` terms a window around them.
    private func hydrate(rowids: [Int64], highlighting terms: [String] = []) throws -> [Int64: Hit] {
        guard !rowids.isEmpty else { return [:] }
        return try engram.stores.keywords.records(rowids, fullBodies: !terms.isEmpty).mapValues { r in
            var hit = Self.hit(r)
            if !terms.isEmpty {
                hit.snippet = HybridSearch.highlight(hit.snippet, terms: terms) ?? String(hit.snippet.prefix(160))
            }
            return hit
        }
    }

    /// A record as a hit (score 0: the caller sets it).
    static func hit(_ r: SearchRecord) -> Hit {
        var hit = Hit(
            id: "", kind: r.kind, title: r.title, summary: r.summary, snippet: r.body, files: r.files, project: r.project,
            createdAt: r.createdAt, score: 0, sessionId: r.sessionID, matched: nil)
        switch r.kind {
        case .observation: hit.id = "#" + r.ref
        case .summary:
            hit.id = "session:" + r.ref
            hit.title = "Session summary (\(r.createdAt.prefix(10)))"
        case .memory: hit.id = "M" + r.ref
        case .learning:
            hit.id = "L" + r.ref
            if let category = r.category, let confidence = r.confidence {
                hit.title = "\(category.capitalized) [\(String(format: "%.2f", confidence))]"
            }
        }
        return hit
    }
}
