import EngramModel

/// A `KeywordQuery` written in FTS5's MATCH language: each term a quoted phrase (so no term is read as an operator),
/// the last one a prefix when the query says so.
package enum FTS5Expression {
    package static func phrases(_ query: KeywordQuery) -> [String] {
        query.terms.enumerated().map { i, t in
            "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (i == query.terms.count - 1 && query.lastIsPrefix ? "*" : "")
        }
    }

    /// The MATCH expression for one stage of the query.
    package static func match(_ query: KeywordQuery, _ match: KeywordQuery.Match) -> String {
        let quoted = phrases(query)
        switch match {
        case .all:
            return quoted.joined(separator: " ")
        case .any:
            return quoted.joined(separator: " OR ")
        case .pairs:
            var groups: [String] = []
            for i in quoted.indices { for j in quoted.indices where j > i { groups.append("(\(quoted[i]) AND \(quoted[j]))") } }
            return groups.joined(separator: " OR ")
        }
    }
}
