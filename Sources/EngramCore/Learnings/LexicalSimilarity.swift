import Foundation

/// Cosine similarity of word-count vectors (lower-cased, stop words dropped, a crude
/// plural fold). Used for learnings dedup until embeddings are available.
public enum LexicalSimilarity {
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "in", "on", "to", "for", "is", "are", "be",
        "with", "by", "at", "it", "its", "this", "that", "as", "from", "we", "our", "uses", "use",
    ]

    public static func tokens(_ text: String) -> [String: Double] {
        var counts: [String: Double] = [:]
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            var w = word.lowercased()
            if w.count > 3, w.hasSuffix("s"), !w.hasSuffix("ss") { w.removeLast() }
            if !stopWords.contains(w) { counts[w, default: 0] += 1 }
            word = ""
        }
        for ch in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) || ch == "_" { word.unicodeScalars.append(ch) } else { flush() }
        }
        flush()
        return counts
    }

    public static func cosine(_ a: String, _ b: String) -> Double {
        let x = tokens(a), y = tokens(b)
        guard !x.isEmpty, !y.isEmpty else { return a == b ? 1 : 0 }
        var dot = 0.0
        for (k, v) in x { dot += v * (y[k] ?? 0) }
        let nx = x.values.reduce(0) { $0 + $1 * $1 }.squareRoot(), ny = y.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return dot / (nx * ny)
    }
}
