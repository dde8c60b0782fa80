import Foundation

/// Draws a call graph as Mermaid (`graph TD`, one subgraph per file) or Graphviz DOT.
/// Changed definitions are styled as in the seed's report: new `#bbf`, modified `#f9f`, deleted `#fbb`.
package struct CodeGraphRenderer: Sendable {
    /// Change marks per file path, keyed by qualified name.
    package var changes: [String: [String: ChangeType]]
    /// Include callees that could not be matched to a definition (as free-standing nodes).
    package var includeExternal: Bool

    package init(changes: [String: [String: ChangeType]] = [:], includeExternal: Bool = true) {
        self.changes = changes
        self.includeExternal = includeExternal
    }

    struct Node { var id: String; var label: String; var file: String?; var change: ChangeType? }
    struct Graph { var nodes: [Node] = []; var edges: [(String, String)] = [] }

    func build(_ files: [CodeFileAnalysis]) -> Graph {
        var g = Graph()
        var idByFileName: [String: [String: String]] = [:]
        var idsByName: [String: [String]] = [:]
        var external: [String: String] = [:]
        func newID() -> String { "n\(g.nodes.count)" }
        for f in files {
            var local: [String: String] = [:]
            for s in f.symbols where s.kind != .class && local[s.qualifiedName] == nil {
                let id = newID()
                g.nodes.append(Node(id: id, label: s.qualifiedName, file: f.path, change: changes[f.path]?[s.qualifiedName]))
                local[s.qualifiedName] = id
                idsByName[s.qualifiedName, default: []].append(id)
            }
            for (name, change) in changes[f.path] ?? [:] where change == .deleted && local[name] == nil {
                let id = newID()
                g.nodes.append(Node(id: id, label: name, file: f.path, change: .deleted))
                local[name] = id
            }
            idByFileName[f.path] = local
        }
        var seenEdges: Set<String> = []
        for f in files {
            for c in f.calls {
                var from = idByFileName[f.path]?[c.callerName]
                if from == nil {
                    let id = newID()
                    g.nodes.append(Node(id: id, label: c.callerName, file: f.path, change: nil))
                    idByFileName[f.path, default: [:]][c.callerName] = id
                    from = id
                }
                var to: String?
                if let r = c.calleeResolved {
                    to = idByFileName[f.path]?[r] ?? idsByName[r]?.first
                    if to == nil {
                        // Module-qualified names: match the longest known qualified-name suffix.
                        let parts = r.split(separator: ".")
                        for k in 1..<max(1, parts.count) {
                            if let hit = idsByName[parts[k...].joined(separator: ".")]?.first { to = hit; break }
                        }
                    }
                }
                if to == nil {
                    guard includeExternal else { continue }
                    let label = c.calleeResolved ?? c.calleeName
                    if let id = external[label] {
                        to = id
                    } else {
                        let id = newID()
                        g.nodes.append(Node(id: id, label: label, file: nil, change: nil))
                        external[label] = id
                        to = id
                    }
                }
                guard let from, let to, seenEdges.insert(from + ">" + to).inserted else { continue }
                g.edges.append((from, to))
            }
        }
        return g
    }

    static func fill(_ c: ChangeType?) -> String? {
        switch c {
        case .new?: return "#bbf"
        case .modified?: return "#f9f"
        case .deleted?: return "#fbb"
        default: return nil
        }
    }

    /// Mermaid flowchart text.
    package func mermaid(_ files: [CodeFileAnalysis]) -> String {
        let g = build(files)
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<", with: "#lt;").replacingOccurrences(of: ">", with: "#gt;")
        }
        var lines = ["graph TD"]
        for (k, f) in files.enumerated() {
            lines.append("    subgraph f\(k)[\"\(esc(f.path))\"]")
            for n in g.nodes where n.file == f.path { lines.append("        \(n.id)[\"\(esc(n.label))\"]") }
            lines.append("    end")
        }
        for n in g.nodes where n.file == nil { lines.append("    \(n.id)[\"\(esc(n.label))\"]") }
        for (a, b) in g.edges { lines.append("    \(a) --> \(b)") }
        for n in g.nodes {
            if let fill = CodeGraphRenderer.fill(n.change) {
                lines.append("    style \(n.id) fill:\(fill),stroke:#333" + (n.change == .deleted ? ",stroke-dasharray: 5 5" : ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Graphviz DOT text.
    package func dot(_ files: [CodeFileAnalysis]) -> String {
        let g = build(files)
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func node(_ n: Node) -> String {
            var attrs = ["label=\(q(n.label))"]
            if let fill = CodeGraphRenderer.fill(n.change) {
                attrs.append("style=\(n.change == .deleted ? "\"filled,dashed\"" : "filled")")
                attrs.append("fillcolor=\(q(fill))")
            }
            return "\(n.id) [\(attrs.joined(separator: ", "))];"
        }
        var lines = ["digraph calls {", "    rankdir=TB;", "    node [shape=box];"]
        for (k, f) in files.enumerated() {
            lines.append("    subgraph cluster_\(k) {")
            lines.append("        label=\(q(f.path));")
            for n in g.nodes where n.file == f.path { lines.append("        " + node(n)) }
            lines.append("    }")
        }
        for n in g.nodes where n.file == nil { lines.append("    " + node(n)) }
        for (a, b) in g.edges { lines.append("    \(a) -> \(b);") }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
