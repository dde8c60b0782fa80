/// ANSI styling for terminal reports; a disabled style returns text unchanged (pipes, files, tests).
package struct ReportStyle: Sendable {
    package var colour: Bool

    package init(colour: Bool) { self.colour = colour }

    package static let plain = ReportStyle(colour: false)

    func wrap(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func heading(_ s: String) -> String { wrap(s, "1;36") }
    func bold(_ s: String) -> String { wrap(s, "1") }
    func frame(_ s: String) -> String { wrap(s, "2") }
    /// Colour for a change mark: NEW green, MOD yellow, DEL red.
    func change(_ s: String, _ kind: String) -> String {
        switch kind {
        case "new": return wrap(s, "32")
        case "modified": return wrap(s, "33")
        case "deleted": return wrap(s, "31")
        default: return s
        }
    }
}
