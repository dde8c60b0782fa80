/// The seed's call tree: `caller ──► first callee`, further callees hanging below it.
///
///     authenticate ──► _validate_password
///         │
///         └──► Token.create
enum CallTreeRenderer {
    static func lines(_ graph: SessionReport.CallGraph) -> [String] {
        var out: [String] = []
        for (i, caller) in graph.callers.enumerated() {
            if i > 0 { out.append("") }
            guard let first = caller.callees.first else { out.append(caller.name); continue }
            out.append("\(caller.name) ──► \(first)")
            for (k, callee) in caller.callees.dropFirst().enumerated() {
                let isLast = k == caller.callees.count - 2
                out.append("    │")
                out.append("    \(isLast ? "└" : "├")──► \(callee)")
            }
        }
        return out
    }
}
