import Foundation
import Testing

@testable import EngramCode

@Suite struct BodyHashTests {
    let base = """
        @deco(1)
        def f(a, b=2):
            \"\"\"Sum two numbers.

            More text.
            \"\"\"
            total = a + b
            return total
        """

    func hash(_ s: String) throws -> String {
        let a = try PythonExtractor().extract(source: Data(s.utf8), path: "h.py")
        return try #require(a.symbols.first).bodyHash
    }

    @Test(arguments: [
        "@deco(1)\ndef f(a, b=2):\n    \"\"\"Sum two numbers.\n\n    More text.\n    \"\"\"\n    # a comment\n    total = a + b\n\n\n    return total  # trailing\n",
        "@deco(1)\ndef f(a, b=2):\n    \"\"\"Sum   two numbers.\n        More text.\"\"\"\n    total = a + b\n    return total\n",
        "@deco(1)\ndef f(a, b = 2):\n    '''Sum two numbers.\n\n    More text.\n    '''\n    total = a + \\\n        b\n    return total\n",
    ])
    func cosmeticEditsKeepTheHash(variant: String) throws {
        #expect(try hash(variant) == hash(base))
    }

    @Test(arguments: [
        "@deco(2)\ndef f(a, b=2):\n    \"\"\"Sum two numbers.\n\n    More text.\n    \"\"\"\n    total = a + b\n    return total\n",
        "@deco(1)\ndef f(a, b=3):\n    \"\"\"Sum two numbers.\n\n    More text.\n    \"\"\"\n    total = a + b\n    return total\n",
        "@deco(1)\ndef f(a, b=2):\n    \"\"\"Sum two numbers.\n\n    More text.\n    \"\"\"\n    total = a - b\n    return total\n",
        "@deco(1)\ndef f(a, b=2):\n    \"\"\"Sum two numbers.\n\n    More text.\n    \"\"\"\n    total = a + b\n    if total:\n        return total\n",
        "@deco(1)\ndef f(a, b=2):\n    \"\"\"Sum three numbers.\n\n    More text.\n    \"\"\"\n    total = a + b\n    return total\n",
    ])
    func logicEditsChangeTheHash(variant: String) throws {
        #expect(try hash(variant) != hash(base))
    }
}
