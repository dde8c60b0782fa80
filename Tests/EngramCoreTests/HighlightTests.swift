import Foundation
import Testing

@testable import EngramCore

/// The snippet window around the first matching word: the byte path for ASCII text and the early stop must give
/// what a plain pass over every character gives.
@Suite struct HighlightTests {
    /// The plain version: every word of the text, by Character, then the window.
    static func reference(_ text: String, terms: [String], words: Int = 16) -> String? {
        guard !terms.isEmpty else { return nil }
        var tokens: [(range: Range<String.Index>, hit: Bool)] = []
        var start: String.Index?
        var i = text.startIndex
        func close(_ end: String.Index) {
            guard let s = start else { return }
            let w = text[s..<end].lowercased()
            tokens.append((s..<end, terms.contains { w.hasPrefix($0) }))
            start = nil
        }
        while i < text.endIndex {
            if text[i].isLetter || text[i].isNumber { if start == nil { start = i } } else { close(i) }
            i = text.index(after: i)
            if tokens.count > 4_000 { break }
        }
        close(i)
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

    static let texts: [String] = {
        let base = [
            "Edited app/services/auth.py: added refresh_token",
            "pytest tests/test_auth.py: 1 failed (test_refresh_token_flow, DecodeError), 6 passed",
            "", "   ", "AUTH Token-Refresh; auth_token=x", "café naïve résumé: the TOKEN cache", "e\u{301}dited the auth 🙂 token",
            "日本語 auth テスト token",
            "[bracket]`tick`@at{brace} Auth_Z auth",
        ]
        var out = base
        let filler = ["alpha", "Beta", "GAMMA", "delta9", "x", "auth", "refresh", "tokens", "cache", "Zeta"]
        for n in [3, 14, 15, 16, 17, 18, 19, 30, 200] {
            for offset in [0, 1, 2, 5] {
                out.append((0..<n).map { filler[($0 * 3 + offset) % filler.count] }.joined(separator: offset % 2 == 0 ? " " : ", "))
            }
        }
        out.append((0..<5_000).map { "w\($0)" }.joined(separator: " ") + " auth")
        return out
    }()

    @Test(arguments: [["auth"], ["token", "refresh"], ["zeta"], ["delta9"], ["tok"], ["missing"], ["caf", "résumé"], ["テスト"], ["e\u{301}dited"]])
    func matchesThePlainVersion(terms: [String]) {
        for text in Self.texts {
            for words in [4, 16] {
                #expect(
                    HybridSearch.highlight(text, terms: terms, words: words) == Self.reference(text, terms: terms, words: words),
                    "\(terms) in \(text.prefix(60))")
            }
        }
    }
}
