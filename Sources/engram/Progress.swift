import EngramCommandLine
import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, so piped or
/// redirected runs (and tests) stay quiet. Redraws only when the whole percent changes.
struct ProgressBar {
    let label: String
    let enabled: Bool
    private var lastPercent = -1
    private var drawn = false

    init(label: String, enabled: Bool = Terminal.stderrIsTTY) {
        self.label = label
        self.enabled = enabled
    }

    /// Reports `done` of `total` units.
    mutating func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 24
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% (\(done)/\(total))\u{1B}[K".utf8))
        drawn = true
    }

    /// Clears the bar so the command's own message starts on a clean line.
    mutating func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
