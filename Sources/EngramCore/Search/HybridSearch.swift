import Foundation

/// How `engram search` ranks: full text, vectors, or both fused by reciprocal rank.
public enum SearchMode: String, Sendable, Codable, CaseIterable { case hybrid, keyword, semantic }

/// The seam through which Core reaches an embedding model without knowing one: the runtime supplies
/// a BERT-backed implementation (EngramEmbeddings), tests a fake returning chosen vectors.
public protocol QueryEmbedder: Sendable {
    /// The model id stored beside vectors; only vectors of this model are searched.
    var modelID: String { get }
    /// The query's vector (embedded as a query, with the model's query prefix).
    func embedQuery(_ text: String) throws -> [Float]
    /// The `k` stored vectors nearest to `query` among the records whose index keys (`VectorStore`) `accept`
    /// admits, best first (cosine), by index key.
    func nearest(_ query: [Float], k: Int, in vectors: any VectorStore, accept: @escaping @Sendable (Int64) -> Bool) throws -> [(
        key: Int64, score: Double
    )]
    /// Loads whatever `nearest` keeps between searches, so the first search does not wait for it.
    func warmUp(_ vectors: any VectorStore) throws
}

/// Thrown by `QueryEmbedder.embedQuery` when the model cannot be reached right now (a provider that is down):
/// the search runs on keywords instead of failing. Any other error fails the search.
public struct QueryEmbedderUnavailable: LocalizedError, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var errorDescription: String? { reason }
}

extension QueryEmbedder {
    /// A plain scan of the table: right for tests and small stores; the runtime keeps a loaded index instead.
    public func nearest(_ query: [Float], k: Int, in vectors: any VectorStore, accept: @escaping @Sendable (Int64) -> Bool) throws -> [(
        key: Int64, score: Double
    )] {
        let model = modelID
        let rows = try vectors.read { snapshot in
            var rows: [(key: Int64, vector: [Float])] = []
            try snapshot.forEachVector(model: model) { key, _, v in rows.append((key, Array(v))) }
            return rows
        }
        return HybridSearch.bruteForce(query, rows: rows, k: k, accept: accept)
    }

    /// The plain scan keeps nothing.
    public func warmUp(_ vectors: any VectorStore) throws {}
}

/// Pure pieces of hybrid ranking.
public enum HybridSearch {
    /// One fused result: the key, its RRF score and the lists it came from.
    public struct Fused: Sendable, Equatable {
        public var key: Int64
        public var score: Double
        public var lists: [String]
    }

    /// Reciprocal rank fusion: score(d) = Σ over lists containing d of weight / (k + rank), rank from 1.
    /// Ties keep the order of first appearance (earlier list, better rank).
    public static func fuse(_ lists: [(name: String, weight: Double, keys: [Int64])], k: Double) -> [Fused] {
        var byKey: [Int64: Fused] = [:]
        var order: [Int64] = []
        for list in lists {
            for (i, key) in list.keys.enumerated() {
                let add = list.weight / (k + Double(i + 1))
                if var f = byKey[key] {
                    f.score += add
                    if !f.lists.contains(list.name) { f.lists.append(list.name) }
                    byKey[key] = f
                } else {
                    byKey[key] = Fused(key: key, score: add, lists: [list.name])
                    order.append(key)
                }
            }
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return order.compactMap { byKey[$0] }.sorted {
            $0.score != $1.score ? $0.score > $1.score : position[$0.key, default: 0] < position[$1.key, default: 0]
        }
    }

    /// Cosine top-k over raw rows (vectors need not be normalised).
    public static func bruteForce(
        _ query: [Float], rows: [(key: Int64, vector: [Float])], k: Int,
        accept: (Int64) -> Bool
    ) -> [(key: Int64, score: Double)] {
        let qn = norm(query)
        guard qn > 0, k > 0 else { return [] }
        var scored: [(key: Int64, score: Double)] = []
        for row in rows where row.vector.count == query.count && accept(row.key) {
            let n = norm(row.vector)
            guard n > 0 else { continue }
            var dot: Float = 0
            for i in 0..<query.count { dot = dot + query[i] * row.vector[i] }
            scored.append((row.key, Double(dot / (qn * n))))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.key < $1.key }
        return Array(scored.prefix(k))
    }

    /// Lower-cased word stems of a query for `highlight`: FTS5 splits `refresh_token` into two words, and its
    /// porter stemmer matches `failing` to `failed`, so a common ending is dropped (`-ing`, `-ed`, `-es`, `-s`)
    /// and the rest matches as a word prefix.
    public static func highlightTerms(_ query: String) -> [String] {
        var seen = Set<String>()
        return query.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).compactMap { word in
            var w = String(word)
            for suffix in ["ing", "ed", "es", "s"] where w.count - suffix.count >= 3 && w.hasSuffix(suffix) {
                w.removeLast(suffix.count)
                break
            }
            return seen.insert(w).inserted ? w : nil
        }
    }

    /// A window of `words` words of `text` from just before its first word starting with a term, matches
    /// wrapped in «», cuts marked …: what FTS5's snippet() shows, for hits ranked without a MATCH. Nil if no word matches.
    public static func highlight(_ text: String, terms: [String], words: Int = 16) -> String? {
        guard !terms.isEmpty else { return nil }
        // Most records are ASCII: their words are found on bytes, without grapheme breaking or Unicode properties.
        let tokens =
            text.utf8.allSatisfy({ $0 < 0x80 })
            ? asciiWords(text, terms: terms, words: words)
            : characterWords(text, terms: terms, words: words)
        guard let first = tokens.firstIndex(where: \.hit) else { return nil }
        let lo = max(0, min(first - 2, tokens.count - words)), hi = min(tokens.count, lo + words)
        var out = lo > 0 ? "…" : ""
        var cursor = tokens[lo].range.lowerBound
        for t in tokens[lo..<hi] {
            out += text[cursor..<t.range.lowerBound]
            out += t.hit ? "«" + text[t.range] + "»" : String(text[t.range])
            cursor = t.range.upperBound
        }
        if hi < tokens.count { out += "…" } else { out += text[cursor...] }
        return out
    }

    typealias Word = (range: Range<String.Index>, hit: Bool)

    /// Whether the words found so far decide the window: the first hit, the words after it, and one more (which
    /// says the window does not reach the end).
    static func windowIsKnown(_ words: [Word], firstHit: Int?, size: Int) -> Bool {
        guard let f = firstHit else { return false }
        return words.count > max(0, f - 2) + size
    }

    /// Runs of letters and digits (as `Character.isLetter`/`isNumber` see them), each marked when its lowercased
    /// text starts with a term.
    static func characterWords(_ text: String, terms: [String], words size: Int) -> [Word] {
        var words: [Word] = []
        var start: String.Index?
        var firstHit: Int?
        var i = text.startIndex
        func close(_ end: String.Index) {
            guard let s = start else { return }
            let w = text[s..<end].lowercased()
            let hit = terms.contains { w.hasPrefix($0) }
            if hit && firstHit == nil { firstHit = words.count }
            words.append((s..<end, hit))
            start = nil
        }
        while i < text.endIndex {
            if text[i].isLetter || text[i].isNumber { if start == nil { start = i } } else { close(i) }
            i = text.index(after: i)
            if words.count > 4_000 || windowIsKnown(words, firstHit: firstHit, size: size) { return words }
        }
        close(i)
        return words
    }

    /// `characterWords` for ASCII text, on bytes: letters and digits, terms compared case-insensitively.
    static func asciiWords(_ text: String, terms: [String], words size: Int) -> [Word] {
        let bytes = text.utf8
        let termBytes = terms.map { Array($0.utf8) }
        var words: [Word] = []
        var start: String.Index?
        var firstHit: Int?
        func isWordByte(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) }
        func close(_ end: String.Index) {
            guard let s = start else { return }
            let word = bytes[s..<end]
            let hit = termBytes.contains { term in
                term.count <= word.count && zip(word, term).allSatisfy { w, t in (w >= 0x41 && w <= 0x5A ? w | 0x20 : w) == t }
            }
            if hit && firstHit == nil { firstHit = words.count }
            words.append((s..<end, hit))
            start = nil
        }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if isWordByte(bytes[i]) { if start == nil { start = i } } else { close(i) }
            i = bytes.index(after: i)
            if words.count > 4_000 || windowIsKnown(words, firstHit: firstHit, size: size) { return words }
        }
        close(i)
        return words
    }

    static func norm(_ v: [Float]) -> Float {
        var s: Float = 0
        for x in v { s = s + x * x }
        return s.squareRoot()
    }
}
