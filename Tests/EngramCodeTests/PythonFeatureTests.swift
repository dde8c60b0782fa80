import Foundation
import Testing

@testable import EngramCode

/// Behaviour beyond what CPython 3.11 can check: 3.12 f-strings and stack safety.
@Suite struct PythonFeatureTests {
    func symbols(_ s: String) throws -> [CodeSymbol] {
        try PythonExtractor().extract(source: Data(s.utf8), path: "f.py").symbols
    }

    @Test func python312FStringsWithReusedQuotes() throws {
        // Valid from Python 3.12 (PEP 701): the same quote inside a replacement field.
        let src = "def f(d, x=f\"{d[\"k\"]}\", y=f'{\", \".join(d)}'):\n    return f\"{f\"{d[\"a\"]}\"}\"\n"
        let s = try #require(try symbols(src).first)
        #expect(s.signature == "f(d, x = f\"{d['k']}\", y = f\"{', '.join(d)}\")")
        #expect(s.lineEnd == 2)
    }

    @Test func parsingAtTheDepthLimitFitsASmallStack() async throws {
        // The deepest accepted input must not overflow a 512 KiB thread stack.
        let depth = (PyParser.maxDepth - 5) / 2 // each "(-" level enters the guard twice
        let nested = "x = " + String(repeating: "(-", count: depth) + "f()" + String(repeating: ")", count: depth) + "\n"
        let deepBlocks = (0..<90).map { String(repeating: " ", count: $0) + "if a:\n" }.joined() + String(repeating: " ", count: 90) + "pass\n"
        let results = await withCheckedContinuation { (cont: CheckedContinuation<[Bool], Never>) in
            let thread = Thread {
                let ex = PythonExtractor()
                var out: [Bool] = []
                for src in [nested, deepBlocks] {
                    out.append((try? ex.extract(source: Data(src.utf8), path: "d.py")) != nil)
                }
                cont.resume(returning: out)
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        #expect(results == [true, true])
    }
}
