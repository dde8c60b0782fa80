import EngramCode
import EngramCore
import EngramSQLite
import Foundation
import Testing

@testable import EngramRuntime

@Suite struct ReportGraphTests {
    let since = ReportTestData.now.addingTimeInterval(-86400)

    func graph(_ format: SessionReportBuilder.GraphFormat) throws -> String {
        try SessionReportBuilder(stores: try ReportTestData.store().stores, now: ReportTestData.now)
            .changedCodeGraph(project: ReportTestData.project, since: since, format: format)
    }

    @Test func mermaidIsStructurallySound() throws {
        let text = try graph(.mermaid)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "graph TD")
        // One subgraph per changed file.
        let subgraphs = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("subgraph ") }
        #expect(subgraphs.count == 3)
        for file in ["auth/routes.py", "auth/service.py", "tests/test_auth.py"] {
            #expect(subgraphs.contains { $0.contains("\"\(file)\"") }, "no subgraph for \(file)")
        }
        #expect(lines.filter { $0.trimmingCharacters(in: .whitespaces) == "end" }.count == 3)

        // Every node declared once; every edge's endpoints declared.
        var labels: [String: String] = [:]
        for line in lines {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.hasPrefix("subgraph"), let open = t.firstIndex(of: "["), t.hasSuffix("\"]") else { continue }
            let id = String(t[..<open])
            #expect(labels[id] == nil, "node \(id) declared twice")
            labels[id] = String(t[t.index(open, offsetBy: 2)..<t.index(t.endIndex, offsetBy: -2)])
        }
        let edges = lines.compactMap { line -> (String, String)? in
            let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " --> ")
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        for (a, b) in edges { #expect(labels[a] != nil && labels[b] != nil, "edge \(a) --> \(b) has an undeclared end") }
        let named = Set(edges.map { "\(labels[$0.0] ?? "?") -> \(labels[$0.1] ?? "?")" })
        #expect(
            named == [
                "AuthService.authenticate -> AuthService._validate_password",
                "AuthService.refresh_token -> AuthService.authenticate",
                "login_endpoint -> AuthService.authenticate",
                "refresh_endpoint -> AuthService.refresh_token",
                "test_refresh_token_flow -> AuthService.refresh_token",
            ])

        // Changed definitions are styled, unchanged ones are not.
        let styled = Set(
            lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("style ") }.compactMap { line in
                line.trimmingCharacters(in: .whitespaces).split(separator: " ").dropFirst().first.flatMap { labels[String($0)] }
            })
        #expect(
            styled == [
                "AuthService.authenticate", "AuthService.refresh_token", "AuthService.legacy_login",
                "login_endpoint", "refresh_endpoint", "test_refresh_token_flow",
            ])
    }

    @Test func dotHasAClusterPerFile() throws {
        let text = try graph(.dot)
        #expect(text.hasPrefix("digraph calls {"))
        #expect(text.components(separatedBy: "subgraph cluster_").count - 1 == 3)
        #expect(text.components(separatedBy: " -> ").count - 1 == 5)
        #expect(text.contains("fillcolor=\"#fbb\"")) // the deleted legacy_login
    }

    @Test func callTreeDrawsHangingCallees() {
        let g = SessionReport.CallGraph(
            file: "a.py",
            callers: [
                .init(name: "f", callees: ["g", "h", "k"]), .init(name: "m", callees: ["n"]),
            ])
        #expect(CallTreeRenderer.lines(g) == ["f ──► g", "    │", "    ├──► h", "    │", "    └──► k", "", "m ──► n"])
    }
}

@Suite struct ReportEmptyGraphTests {
    @Test func noChangesStillGivesAValidDiagram() throws {
        let b = SessionReportBuilder(stores: try EngramStore.inMemory().stores, now: ReportTestData.now)
        let since = ReportTestData.now.addingTimeInterval(-86400)
        let m = try b.changedCodeGraph(project: nil, since: since, format: .mermaid)
        #expect(m.hasPrefix("graph TD\n") && m.contains("%% no code changes"))
        let d = try b.changedCodeGraph(project: nil, since: since, format: .dot)
        #expect(d.hasPrefix("digraph calls {") && d.hasSuffix("}\n"))
    }
}
