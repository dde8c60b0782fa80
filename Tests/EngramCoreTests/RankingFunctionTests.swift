import EngramDemo
import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

/// `engram_bm25` (C, in CEngramSQLite) must give FTS5's own bm25: the same score for every row that can make the
/// first k, and so the same first k, while it skips the document-size lookup for rows that cannot.
@Suite struct RankingFunctionTests {
    static let corpus: EngramStore = {
        let store = try! EngramStore.inMemory()
        // Two projects and a small corpus with repeated shapes: many equal scores, ties at every cut.
        try! SyntheticCorpus(seed: 3).populate(store, project: "/p/one", count: 2_000, sessions: 30)
        try! SyntheticCorpus(seed: 11).populate(store, project: "/p/two", count: 1_000, sessions: 20)
        // Long records: FTS5 stores sizes as SQLite varints, one byte below 128 tokens and more above (up to 16k
        // tokens in a column here), so a wrong decoding shows only on records like these.
        let filler = ["alpha", "beta", "gamma", "delta", "error", "fix", "auth", "token", "cache", "test"]
        try! store.writer.write { db in
            for i in 0..<240 {
                let words = 100 + (i * 137) % (i % 20 == 0 ? 17_000 : 700)
                let body = (0..<words).map { filler[($0 * 7 + i) % filler.count] }.joined(separator: " ")
                try db.execute(
                    sql: """
                        INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                        VALUES (?, ?, ?, '', 'observation', ?, '/p/long', '2026-11-22T00:00:00.000Z')
                        """, arguments: [10_000_000 + i * 4, "long record \(i) \(filler[i % filler.count])", body, 10_000_000 + i])
            }
        }
        return store
    }()

    static let matches: [String] = {
        var out: [String] = []
        for text in SyntheticCorpus(seed: 3).queries(count: 12) + [
            "test", "auth token", "error OR fix", "long record gamma", "delta",
            "why did the auth token cache test fail", "fix error in auth cache",
        ] {
            guard let built = FTS5Query.build(text) else { continue }
            out.append(built.all)
            if let pairs = built.pairs { out.append(pairs) }
            if let any = built.any { out.append(any) }
        }
        return out
    }()

    /// Every row's score when nothing can be skipped (k beyond the number of matches), with and without phrase
    /// keys (phrases counted once per key score as when counted every time). One engram_bm25 call per query:
    /// calls in one statement would share their state.
    @Test(arguments: matches)
    func scoresEqualBM25ForEveryRow(match: String) throws {
        let (reference, plain, keyed) = try Self.corpus.writer.read { db in
            (
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(
                        db, sql: "SELECT rowid, bm25(memory_fts, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ?",
                        arguments: [match]
                    ).map { ($0[0] as Int64, $0[1] as Double) }),
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(
                        db,
                        sql: """
                            SELECT rowid, engram_bm25(memory_fts, 1000000, NULL, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ?
                            """, arguments: [match]
                    ).map { ($0[0] as Int64, $0[1] as Double) }),
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(
                        db,
                        sql: """
                            SELECT rowid, engram_bm25(memory_fts, 1000000, ?, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ?
                            """, arguments: [FTS5Query.phraseKeys(match), match]
                    ).map { ($0[0] as Int64, $0[1] as Double) })
            )
        }
        #expect(plain == reference)
        #expect(keyed == reference)
    }

    /// The first k by engram_bm25 are the first k by bm25: the same scores in the same order, and the same rows
    /// wherever the score is not tied with the k-th.
    @Test(arguments: [1, 5, 40])
    func theFirstKAreBM25sFirstK(k: Int) throws {
        var pruned = 0
        for match in Self.matches {
            let (reference, ours, skipped) = try Self.corpus.writer.read { db in
                (
                    try Row.fetchAll(
                        db, sql: "SELECT rowid, bm25(memory_fts, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ? ORDER BY 2 LIMIT ?",
                        arguments: [match, k]
                    ).map { (rowid: $0[0] as Int64, score: $0[1] as Double) },
                    try Row.fetchAll(
                        db,
                        sql: "SELECT rowid, engram_bm25(memory_fts, ?, ?, 4.0, 1.0, 2.0) FROM memory_fts WHERE memory_fts MATCH ? ORDER BY 2 LIMIT ?",
                        arguments: [k, FTS5Query.phraseKeys(match), match, k]
                    ).map { (rowid: $0[0] as Int64, score: $0[1] as Double) },
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM (SELECT engram_bm25(memory_fts, ?, NULL, 4.0, 1.0, 2.0) AS s FROM memory_fts WHERE memory_fts MATCH ?) WHERE s = 0.0
                            """, arguments: [k, match]) ?? 0
                )
            }
            #expect(ours.map(\.score) == reference.map(\.score), "\(match)")
            if let cut = reference.last?.score {
                #expect(Set(ours.filter { $0.score < cut }.map(\.rowid)) == Set(reference.filter { $0.score < cut }.map(\.rowid)), "\(match)")
            }
            pruned += skipped
        }
        // The point of it: rows that cannot make the cut skip their size lookup (and answer 0.0).
        #expect(pruned > 0)
    }

    /// Keys name each phrase of the expression in order, equal for the same quoted text.
    @Test func phraseKeysFollowTheExpression() throws {
        let built = try #require(FTS5Query.build("auth token cache refresh"))
        #expect(FTS5Query.phraseKeys(built.all) == "0 1 2 3")
        let pairs = FTS5Query.phraseKeys(try #require(built.pairs)).split(separator: " ")
        #expect(pairs.count == 12 && Set(pairs) == ["0", "1", "2", "3"])
        #expect(FTS5Query.phraseKeys(#""a""b" OR "c"* OR "a""b" OR "c""#) == "0 1 0 2")
    }

    @Test(arguments: [
        "engram_bm25(memory_fts)", "engram_bm25(memory_fts, 5)", "engram_bm25(memory_fts, 0, NULL)", "engram_bm25(memory_fts, 'ten', NULL)",
    ])
    func aMissingOrInvalidKIsAnError(call: String) throws {
        #expect(throws: DatabaseError.self) {
            try Self.corpus.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT \(call) FROM memory_fts WHERE memory_fts MATCH 'test'")
            }
        }
    }
}
