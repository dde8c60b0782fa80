import Foundation
import Testing

@testable import EngramCode

/// Bad input gets a clear error, never a crash.
@Suite struct PythonRobustnessTests {
    func extract(_ s: String) throws(CodeParseError) -> CodeFileAnalysis {
        try PythonExtractor().extract(source: Data(s.utf8), path: "t.py")
    }

    @Test func emptyFileHasNoSymbols() throws {
        let a = try PythonExtractor().extract(source: Data(), path: "empty.py")
        #expect(a.symbols.isEmpty && a.calls.isEmpty)
    }

    @Test(arguments: [
        ("x = 'abc\n", "unterminated string literal"),
        ("x = '''abc\n\n", "unterminated triple-quoted"),
        ("def f():\n        x = 1\n    y = 2\n", "unindent does not match"),
        ("if x:\n\tif y:\n\t\tpass\n        pass\n", "inconsistent use of tabs"),
        ("f(1, 2\n", "was never closed"),
        ("def f(:\n  pass\n", "syntax"),
        ("print 'hello'\n", "syntax"),
        ("x = 0755\n", "leading zeros"),
        ("x = a \u{00A9} b\n", "invalid character"),
    ])
    func syntaxErrorsAreReported(source: String, fragment: String) {
        #expect(throws: CodeParseError.self) { try extract(source) }
        do {
            _ = try extract(source)
        } catch {
            let text = error.localizedDescription
            #expect(text.contains(fragment) || fragment == "syntax", "\(text)")
            #expect(text.contains("t.py:"))
        }
    }

    @Test func binaryAndInvalidUTF8AreRejected() {
        let binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0x02, 0xFF])
        #expect(throws: CodeParseError.self) { try PythonExtractor().extract(source: binary, path: "a.py") }
        let badUTF8 = Data("x = '".utf8) + Data([0xC3, 0x28]) + Data("'\n".utf8)
        #expect(throws: CodeParseError.self) { try PythonExtractor().extract(source: badUTF8, path: "b.py") }
        var random = Data()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<4096 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            random.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        #expect(throws: CodeParseError.self) { try PythonExtractor().extract(source: random, path: "c.py") }
    }

    @Test(arguments: ["(", "[", "-", "not ", "lambda: ", "x if y else ", "f(", "{1: "])
    func deepNestingFailsCleanly(prefix: String) {
        let depth = 10_000
        var s = "x = " + String(repeating: prefix, count: depth) + "1"
        let closer: String =
            switch prefix {
            case "(", "f(": ")"
            case "[": "]"
            case "{1: ": "}"
            default: ""
            }
        s += String(repeating: closer, count: depth) + "\n"
        #expect(throws: CodeParseError.self) { try extract(s) }
    }

    @Test func moderateNestingStillParses() throws {
        let s = "x = " + String(repeating: "(", count: 50) + "f()" + String(repeating: ")", count: 50) + "\n"
        let a = try extract(s)
        #expect(a.calls.map(\.calleeName) == ["f"])
    }

    @Test func largeGeneratedFileParses() throws {
        var s = ""
        var n = 0
        while s.utf8.count < 10_000_000 {
            s += "def func_\(n)(a, b: int = \(n), *args, **kw) -> int:\n    \"\"\"Doc \(n).\"\"\"\n    return helper(a, b) + \(n)\n\n"
            n += 1
        }
        let a = try extract(s)
        #expect(a.symbols.count == n)
        #expect(a.calls.count == n)
        #expect(a.symbols.last?.signature == "func_\(n - 1)(a, b: int = \(n - 1), *args, **kw) -> int")
    }

    @Test func latin1WithoutDeclarationIsAnError() {
        let data = Data("def f():\n    return '".utf8) + Data([0xE9]) + Data("'\n".utf8)
        #expect(throws: CodeParseError.self) { try PythonExtractor().extract(source: data, path: "l.py") }
        let declared = Data("# -*- coding: latin_1-unix -*-\n".utf8) + data
        #expect((try? PythonExtractor().extract(source: declared, path: "l.py"))?.symbols.count == 1)
    }
}
