import Foundation
import Testing

@testable import EngramCode

@Suite struct CodeGraphRendererTests {
    func files() throws -> [CodeFileAnalysis] {
        let a = "def caller():\n    return helper(1) + ext.thing()\n\n\ndef helper(x):\n    return x\n"
        let b = "from a import helper\n\n\ndef other():\n    helper(2)\n"
        return [
            try PythonExtractor().extract(source: Data(a.utf8), path: "a.py"),
            try PythonExtractor().extract(source: Data(b.utf8), path: "b.py"),
        ]
    }

    @Test func mermaidHasSubgraphsEdgesAndStyles() throws {
        let r = CodeGraphRenderer(changes: ["a.py": ["caller": .modified, "helper": .new, "gone": .deleted]])
        let text = r.mermaid(try files())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "graph TD")
        #expect(lines.filter { $0.contains("subgraph") }.count == 2)
        // caller -> helper (same file), other -> helper via import resolution "a.helper".
        let id = { (label: String) in
            lines.first { $0.contains("[\"\(label)\"]") && !$0.contains("subgraph") }?.trimmingCharacters(in: .whitespaces).split(separator: "[")
                .first.map(String.init)
        }
        let caller = try #require(id("caller")), helper = try #require(id("helper")), other = try #require(id("other"))
        #expect(lines.contains("    \(caller) --> \(helper)"))
        #expect(lines.contains("    \(other) --> \(helper)"))
        #expect(lines.contains("    style \(caller) fill:#f9f,stroke:#333"))
        #expect(lines.contains("    style \(helper) fill:#bbf,stroke:#333"))
        #expect(lines.contains { $0.contains("[\"gone\"]") })
        #expect(lines.contains { $0.contains("[\"ext.thing\"]") })
    }

    @Test func dotIsWellFormed() throws {
        let text = CodeGraphRenderer(changes: ["b.py": ["other": .new]]).dot(try files())
        #expect(text.hasPrefix("digraph calls {"))
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("subgraph cluster_0"))
        #expect(text.contains("label=\"other\", style=filled, fillcolor=\"#bbf\""))
        #expect(text.components(separatedBy: " -> ").count - 1 == 3)
    }
}
