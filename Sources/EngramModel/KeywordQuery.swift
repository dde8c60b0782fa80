import Foundation

/// What a person typed, as the terms a keyword index looks up: each store writes them in its own query language
/// (FTS5 MATCH, a tsquery). Searches try the strictest form first (`all`), then looser ones while nothing matches.
public struct KeywordQuery: Sendable, Equatable {
    /// How the terms must co-occur in a hit.
    public enum Match: Sendable, Equatable, CaseIterable {
        /// Every term.
        case all
        /// Any two terms together (only for three to eight terms).
        case pairs
        /// Any one term.
        case any
    }

    /// Distinct terms in the order typed (case kept, at most 32), common words dropped unless nothing else is left.
    public var terms: [String]
    /// The last term also matches as a prefix (it may be a word still being typed); only for three or more letters.
    public var lastIsPrefix: Bool

    public init(terms: [String], lastIsPrefix: Bool) {
        self.terms = terms
        self.lastIsPrefix = lastIsPrefix
    }

    /// The forms to try, strictest first.
    public var stages: [Match] {
        var out: [Match] = [.all]
        if terms.count > 2, terms.count <= 8 { out.append(.pairs) }
        if terms.count > 1 { out.append(.any) }
        return out
    }

    /// Words too common to narrow a search, dropped unless nothing else is left. Not `and`/`or`/`not`: a person
    /// typing them means them, and they are looked up like any word.
    public static let stopWords: Set<String> = [
        "a", "an", "are", "as", "at", "be", "but", "by", "did", "do", "does", "for", "from", "had", "has", "have", "how",
        "i", "if", "in", "into", "is", "it", "its", "of", "on", "out", "so", "that", "the", "their", "then", "there",
        "these", "this", "to", "was", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with",
        "you", "your",
    ]

    /// The terms of `text` (runs of letters, digits and `_`); nil when it has none.
    public static func parse(_ text: String) -> KeywordQuery? {
        var terms: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || scalar == "_" {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                terms.append(current); current = ""
            }
        }
        if !current.isEmpty { terms.append(current) }
        guard !terms.isEmpty else { return nil }
        var seen = Set<String>()
        terms = terms.filter { seen.insert($0.lowercased()).inserted }.prefix(32).map { $0 }
        let informative = terms.filter { !stopWords.contains($0.lowercased()) }
        if !informative.isEmpty { terms = informative }
        return KeywordQuery(terms: terms, lastIsPrefix: (terms.last?.count ?? 0) >= 3)
    }
}
