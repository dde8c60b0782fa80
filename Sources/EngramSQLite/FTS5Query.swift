import EngramModel

/// Turns what a person types into safe FTS5 MATCH expressions: words become quoted terms (so `auth.py`,
/// `don't` or `AND` can't be read as syntax), the last one a prefix; words that only make a question a
/// sentence ("why did the … fail") are left out, since every record holds them. Tried in order: every word,
/// then any two of them, then any one: a question rarely has all its words in one record, and any word alone
/// matches a third of the store (all of which bm25 must score).
public enum FTS5Query {
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
        KeywordQuery.parse(text).map(build)
    }

    /// The FTS5 expressions of `query`'s stages.
    public static func build(_ query: KeywordQuery) -> Built {
        let stages = query.stages
        return Built(
            all: FTS5Expression.match(query, .all), pairs: stages.contains(.pairs) ? FTS5Expression.match(query, .pairs) : nil,
            any: stages.contains(.any) ? FTS5Expression.match(query, .any) : nil, terms: FTS5Expression.phrases(query))
    }
}
