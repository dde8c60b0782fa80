import Foundation
import Testing

@testable import EngramCode

@Suite struct SwiftExtractorTests {
    func analysis() throws -> CodeFileAnalysis {
        let data = try Data(contentsOf: FixtureSupport.fixture("swift/Inventory.swift"))
        return try SwiftExtractor().extract(source: data, path: "Inventory.swift")
    }

    func symbol(_ a: CodeFileAnalysis, _ name: String) throws -> CodeSymbol {
        try #require(a.symbols.first { $0.qualifiedName == name }, "missing \(name)")
    }

    @Test(arguments: [
        ("Item", SymbolKind.struct, nil as String?, "Item: Hashable, Sendable", 5, 14),
        ("Item.init", .initializer, "Item", "init(name: String, count: Int = 0)", 10, 13),
        ("Inventory", .actor, nil, "Inventory", 17, 33),
        ("Inventory.add", .asyncMethod, "Inventory", "add(_ item: Item) async throws -> Int", 21, 24),
        ("Inventory.total", .method, "Inventory", "total() -> Int", 26, 28),
        ("Inventory.subscript", .subscript, "Inventory", "subscript(name: String) -> Item?", 30, 32),
        ("Category", .enum, nil, "Category: String", 35, 39),
        ("Describable", .protocol, nil, "Describable", 41, 43),
        ("Describable.describe", .method, "Describable", "describe() -> String", 42, 42),
        ("Item.describe", .method, "Item", "describe() -> String", 47, 50),
        ("makeDefault", .function, nil, "makeDefault<T: Collection>(from values: T) -> Item where T.Element == String", 54, 58),
    ])
    func symbolsHaveKindSignatureAndLines(name: String, kind: SymbolKind, parent: String?, signature: String, start: Int, end: Int) throws {
        let s = try symbol(try analysis(), name)
        #expect(s.kind == kind)
        #expect(s.parentClass == parent)
        #expect(s.signature == signature)
        #expect(s.lineStart == start)
        #expect(s.lineEnd == end)
    }

    @Test func docCommentsAndAttributes() throws {
        let a = try analysis()
        #expect(try symbol(a, "Item").docstring == "A stock keeping unit.")
        #expect(try symbol(a, "Item.init").docstring == "Creates an item.")
        #expect(try symbol(a, "Inventory").docstring == "Keeps items by name.")
        #expect(try symbol(a, "Item.describe").docstring == nil)
        #expect(try symbol(a, "Inventory.add").decorators == ["discardableResult"])
        #expect(try symbol(a, "makeDefault").decorators == ["MainActor"])
        #expect(a.symbols.contains { $0.kind == .extension && $0.qualifiedName == "Item" })
        #expect(a.imports.map(\.module) == ["Foundation"])
    }

    @Test func callsAreRecordedAndResolved() throws {
        let a = try analysis()
        let total = try #require(a.calls.first { $0.calleeName == "total" })
        #expect(total.callerName == "Inventory.add" && total.resolution == .direct)
        let make = try #require(a.calls.first { $0.calleeName == "Item" })
        #expect(make.callerName == "makeDefault" && make.calleeResolved == "Item.init" && make.lineNumber == 55)
        let fmt = try #require(a.calls.first { $0.calleeName == "formatter.string()" })
        #expect(fmt.resolution == .direct && fmt.callerName == "Item.describe")
        #expect(!a.calls.contains { $0.calleeName == "print" })
    }

    @Test func bodyHashIgnoresCommentsButNotCode() throws {
        let base = "func f() -> Int {\n    return 1 + 2\n}\n"
        let commented = "/// Doc.\nfunc f() -> Int {\n    // note\n    return 1 +   2\n}\n"
        let changed = "func f() -> Int {\n    return 1 - 2\n}\n"
        func h(_ s: String) throws -> String {
            try #require(try SwiftExtractor().extract(source: Data(s.utf8), path: "f.swift").symbols.first).bodyHash
        }
        #expect(try h(base) == h(commented))
        #expect(try h(base) != h(changed))
    }

    @Test func brokenSwiftIsReported() throws {
        let data = try Data(contentsOf: FixtureSupport.fixture("swift/Broken.swift"))
        #expect(throws: CodeParseError.self) { try SwiftExtractor().extract(source: data, path: "Broken.swift") }
    }
}

@Suite struct CodeAnalyzerTests {
    @Test func dispatchesByExtension() throws {
        let a = CodeAnalyzer()
        #expect(try a.analyze(source: Data("def f(): pass\n".utf8), path: "x.py")?.language == .python)
        #expect(try a.analyze(source: Data("func f() {}\n".utf8), path: "x.swift")?.symbols.first?.signature == "f()")
        #expect(try a.analyze(source: Data("fn main() {}".utf8), path: "x.rs") == nil)
    }
}
