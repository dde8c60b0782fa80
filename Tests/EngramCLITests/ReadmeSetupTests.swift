import Foundation
import Testing

/// The README's first commands must leave a working install: `engram install claude-code` registers the
/// `engram-hook` built beside `engram`, so the set-up block has to build both.
@Suite struct ReadmeSetupTests {
    @Test func theSetUpBlockBuildsBothBinariesBeforeTheDemo() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let setUp = try #require(text.range(of: "## Set up"), "README has no Set up section")
        let rest = text[setUp.upperBound...]
        let open = try #require(rest.range(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        let commands = rest[open.upperBound..<close.lowerBound].split(separator: "\n")
            .map { $0.split(separator: "#", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        func builds(_ product: String, _ line: String) -> Bool {
            let words = line.split(separator: " ").map(String.init)
            guard words.starts(with: ["swift", "build"]) || words.starts(with: ["swift", "run"]) else { return false }
            if words.starts(with: ["swift", "run"]) { return words.contains(product) }
            // `swift build` with no --product builds every product.
            guard let i = words.firstIndex(of: "--product") else { return true }
            return words.indices.contains(i + 1) && words[i + 1] == product
        }
        let demo = try #require(commands.firstIndex { $0.contains("engram demo") }, "\(commands)")
        #expect(commands[...demo].contains { builds("engram-hook", $0) }, "engram-hook is not built by: \(commands)")
        #expect(commands[...demo].contains { builds("engram", $0) })
    }
}
