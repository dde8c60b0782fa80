import Foundation
import Testing

@testable import EngramCore

/// The Foundation-free trims must cut exactly what `trimmingCharacters(in:)` cuts.
@Suite struct TrimmingTests {
    static let samples = [
        "", " ", "\t\t", "plain", "  padded  ", "\ttabbed\t", "\n newline \r\n", "\u{A0}nbsp\u{A0}", "\u{3000}ideographic\u{3000}",
        "\u{2028}line sep\u{2029}", "\u{85}nel\u{0B}\u{0C}", " inner  spaces stay ", "e\u{301} ", " \u{301}combining",
        "🙂 emoji 🙂", "== 1 failed, 6 passed in 0.42s ==", "__ test_refresh __", "'quoted\"", "\u{200B}zero width\u{200B}",
        "\u{180E}mongolian\u{FEFF}", "\u{2000}\u{200A}\u{202F}\u{205F}en spaces",
    ]

    @Test(arguments: samples)
    func blanksAndSpacesMatchFoundation(text: String) {
        #expect(text.blankTrimmed == text.trimmingCharacters(in: .whitespaces))
        #expect(text.spaceTrimmed == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(Substring(text).blankTrimmed == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: ["= ", "_ ", "'\"", "'\";", "\"'"])
    func characterSetsMatchFoundation(set: String) {
        for text in Self.samples {
            #expect(text.trimming(charactersIn: set) == text.trimmingCharacters(in: CharacterSet(charactersIn: set)), "\(text)")
        }
    }
}

@Suite struct LastRangeTests {
    @Test(arguments: [
        ("== 1 failed, 6 passed in 0.42s ==", " in "), ("run in a minute in 3s", " in "), ("nothing here", " in "),
        ("", " in "), (" in ", " in "), ("naïve in café in", " in "), ("x", "longer needle"),
    ])
    func findsTheLastOccurrenceLikeFoundation(text: String, needle: String) {
        let mine = text.lastRange(of: needle).map { text.distance(from: text.startIndex, to: $0.lowerBound) }
        let theirs = text.range(of: needle, options: .backwards).map { text.distance(from: text.startIndex, to: $0.lowerBound) }
        #expect(mine == theirs)
    }
}
