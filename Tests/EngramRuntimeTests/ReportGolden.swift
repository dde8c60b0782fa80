import Foundation
import Testing

/// Compares text with a golden file under Tests/Fixtures/report/, exactly. On a mismatch it
/// records a line diff and writes the actual text beside the temp dir for inspection.
/// `ENGRAM_UPDATE_GOLDEN=1` rewrites the golden file (review the diff before committing it).
enum ReportGolden {
    static var fixtures: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.lastPathComponent != "Tests", dir.path != "/" { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("Fixtures/report")
    }

    static func expectMatches(_ actual: String, golden name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = fixtures.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ENGRAM_UPDATE_GOLDEN"] == "1" {
            try? Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                Comment(rawValue: "Golden file \(name) is missing; run with ENGRAM_UPDATE_GOLDEN=1 and review it."), sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("actual-" + name)
        try? Data(actual.utf8).write(to: actualURL)
        let message =
            "\(name) differs from its golden file (actual written to \(actualURL.lastPathComponent) in the temp dir):\n"
            + diff(expected, actual)
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    /// A line-by-line diff: `-` expected, `+` actual, for every line that differs.
    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : nil, y = i < b.count ? b[i] : nil
            if x == y { continue }
            out.append("@@ line \(i + 1)")
            if let x { out.append("-" + x) }
            if let y { out.append("+" + y) }
        }
        return out.joined(separator: "\n")
    }
}
