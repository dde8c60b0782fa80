import Testing

@testable import EngramCode

@Suite struct PythonFunctionFactsTests {
    @Test func topLevelFunctionsWithComplexityImportsAndRiskInputs() throws {
        let source = """
            import os
            from json import (
                dumps,
                loads,
            )

            def plain(x):
                return x + 1

            def branchy(xs, flag=False):
                \"\"\"Count things.\"\"\"
                import math
                n = 0
                for x in xs:
                    if x > 0 and flag or x < -10:
                        n += 1
                    elif x == 0:
                        continue
                try:
                    math.sqrt(n)
                except ValueError:
                    pass
                return [y for y in xs if y] if n else plain(n)

            class C:
                def method(self):
                    return ().__class__.__base__.__subclasses__()

            def sneaky():
                getattr(object, '__subcl' + 'asses__')
                return getattr(object, "__name__")
            """
        let facts = try PythonFunctionAnalyzer.functions(in: source)
        #expect(facts.map(\.name) == ["plain", "branchy", "sneaky"], "methods are not library functions")
        let plain = facts[0], branchy = facts[1], sneaky = facts[2]
        #expect(plain.complexity == 1)
        // 1 + for, if, and, or, elif, except, the comprehension's for and if, the conditional expression (as radon counts)
        #expect(branchy.complexity == 10)
        #expect(branchy.docstring == "Count things.")
        #expect(branchy.importedModules == ["os", "json", "math"])
        #expect(branchy.calledNames.contains("plain") && branchy.calledNames.contains("math.sqrt"))
        #expect(plain.source.hasPrefix("import os\nfrom json import (\n    dumps,\n    loads,\n)\n"), "module imports travel with it")
        #expect(plain.source.hasSuffix("def plain(x):\n    return x + 1"))
        #expect(sneaky.dynamicAttributeCalls == 1, "a string literal name is not dynamic; a built-up one is")
        #expect(sneaky.dunderStrings.count == 3)
        #expect(sneaky.dunderAttributes.isEmpty)
        let edited = source.replacingOccurrences(of: "    return x + 1", with: "    # a comment\n\n    return x + 1")
        #expect(try PythonFunctionAnalyzer.functions(in: edited)[0].bodyHash == plain.bodyHash)
    }

    @Test func aSyntaxErrorIsACleanError() {
        #expect(throws: CodeParseError.self) { try PythonFunctionAnalyzer.functions(in: "def f(:\n  pass\n") }
    }
}
