/// One line of a boxed report, kept plain so widths are measured before colour is added.
struct BoxLine: Sendable {
    enum Kind: Sendable, Equatable {
        case text
        case heading
        /// A change row: the first `markWidth` characters are the mark to colour.
        case change(String, markWidth: Int)
    }

    var text: String
    var kind: Kind = .text
    /// Indent of continuation lines when the text wraps.
    var hangingIndent: Int = 0

    static let blank = BoxLine(text: "")
    static func heading(_ title: String) -> BoxLine { BoxLine(text: "── \(title) ──", kind: .heading) }
}
