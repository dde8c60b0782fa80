import Foundation

/// The seed's compact function-map view of one file, e.g.
/// `  class AuthService:` / `    authenticate(self, email: str) -> Token  [L12-L45] @router.post MODIFIED`.
package enum FunctionMapFormatter {
    /// Renders `changes` (from `SnapshotDiff`) or plain `symbols` when no comparison exists.
    /// `showUnchanged: false` drops UNCHANGED definitions (their classes stay for context).
    package static func render(path: String, changes: [SymbolChange], showUnchanged: Bool = true) -> String {
        var lines = ["\(path):"]
        for c in changes {
            let s = c.symbol
            let depth = s.qualifiedName.split(separator: ".").count
            let indent = String(repeating: "  ", count: depth)
            if isType(s.kind) {
                let keyword = s.kind.rawValue
                let mark = c.change == .unchanged ? "" : " " + c.change.rawValue.uppercased()
                lines.append("\(indent)\(keyword) \(s.signature):\(c.change == .modified ? "" : mark)")
                continue
            }
            if c.change == .unchanged && !showUnchanged { continue }
            var line = "\(indent)\(s.signature)  [L\(s.lineStart)-L\(s.lineEnd)]"
            let decos = s.decorators.map { "@" + ($0.split(separator: "(", maxSplits: 1).first.map(String.init) ?? $0) }
            if !decos.isEmpty { line += " " + decos.joined(separator: " ") }
            line += " " + c.change.rawValue.uppercased()
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func isType(_ k: SymbolKind) -> Bool {
        [.class, .struct, .enum, .actor, .protocol, .extension].contains(k)
    }

    /// Renders a snapshot without change marks (every definition as NEW is not implied).
    package static func render(path: String, symbols: [CodeSymbol]) -> String {
        var lines = ["\(path):"]
        for s in symbols {
            let indent = String(repeating: "  ", count: s.qualifiedName.split(separator: ".").count)
            if isType(s.kind) {
                lines.append("\(indent)\(s.kind.rawValue) \(s.signature):")
                continue
            }
            var line = "\(indent)\(s.signature)  [L\(s.lineStart)-L\(s.lineEnd)]"
            let decos = s.decorators.map { "@" + ($0.split(separator: "(", maxSplits: 1).first.map(String.init) ?? $0) }
            if !decos.isEmpty { line += " " + decos.joined(separator: " ") }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
