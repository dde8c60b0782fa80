import Foundation

/// What the function library needs to know about one top-level Python function, from engram's own parser:
/// its text, a hash of its body, a cyclomatic complexity and the names and attributes a risk analysis looks at.
package struct PythonFunctionFacts: Sendable, Hashable {
    package var name: String
    package var signature: String
    /// The docstring's first line, as the function map keeps it.
    package var docstring: String?
    /// The definition's source (decorators through the last line of its body), preceded by the file's module-level
    /// import statements so the function runs on its own.
    package var source: String
    /// Hash of the token stream: comments, blank lines and docstring whitespace do not change it.
    package var bodyHash: String
    package var lineStart: Int
    package var lineEnd: Int
    /// 1 + the decision points in the body (`if`, `elif`, `for`, `while`, `except`, `and`, `or`, comprehension `for`s, conditional
    /// expressions and comprehension filters, `case` arms), counted on the parser's tokens.
    package var complexity: Int
    /// Names the function calls (`f`, `obj.m`), in order of first appearance.
    package var calledNames: [String]
    /// Modules imported at module level or inside the function (dotted, as written).
    package var importedModules: [String]
    /// Dunder attributes accessed with `.` (`__class__`, `__globals__`…).
    package var dunderAttributes: [String]
    /// String literals that name a dunder or are built into one (`'__cla' + 'ss__'` shows as two parts).
    package var dunderStrings: [String]
    /// Calls of `getattr`/`setattr`/`delattr`/`hasattr` whose attribute name is not a plain string literal.
    package var dynamicAttributeCalls: Int
    /// Every bare name used (for `eval`, `exec`, `compile`, `open`, `__import__`, `globals`… as values or calls).
    package var namesUsed: Set<String>
}

/// Finds the top-level functions of a Python source file with engram's parser.
package enum PythonFunctionAnalyzer {
    /// Every top-level `def`/`async def` of `source`, in order; throws `CodeParseError` when it does not parse.
    package static func functions(in source: String, path: String = "<function>") throws(CodeParseError) -> [PythonFunctionFacts] {
        let result = LargeStackRunner.run { () -> Result<[PythonFunctionFacts], CodeParseError> in
            do throws(CodeParseError) {
                return .success(try analyse(source, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func analyse(_ source: String, path: String) throws(CodeParseError) -> [PythonFunctionFacts] {
        let bytes: [UInt8]
        do { bytes = try PySourceDecoder.decode(Data(source.utf8)) } catch {
            throw .encoding(path: path, message: "line \(error.line): \(error.message)")
        }
        let tokens: [PyToken]
        var parser: PyParser
        do throws(PySyntaxError) {
            tokens = try PyTokenizer.tokenize(bytes)
            parser = PyParser(tokens: tokens)
            try parser.parseFile()
        } catch {
            if error.tooDeep { throw .tooDeep(path: path, line: error.line, column: error.col) }
            throw .syntax(path: path, line: error.line, column: error.col, message: error.message)
        }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let moduleImports = parser.imports.filter { $0.depth == 0 }
        let importText = moduleImportStatements(moduleImports, lines: lines)
        var out: [PythonFunctionFacts] = []
        for draft in parser.drafts {
            let s = draft.symbol
            guard s.kind == .function || s.kind == .asyncFunction, !s.qualifiedName.contains(".") else { continue }
            let first = draft.firstToken
            let last = min(draft.lastToken, tokens.count)
            let startLine = first < tokens.count ? Int(tokens[first].line) : s.lineStart
            let body = tokens[first..<max(first, last)]
            let definition = lines[max(0, startLine - 1)..<min(lines.count, s.lineEnd)].joined(separator: "\n")
            let text = importText.isEmpty ? definition : importText + "\n\n\n" + definition
            var called: [String] = []
            var seen = Set<String>()
            for call in parser.calls where call.caller == s.qualifiedName || call.caller.hasPrefix(s.qualifiedName + ".") {
                let name: String
                switch call.function {
                case .name(let n): name = n
                case let .attribute(.name(obj), m): name = "\(obj).\(m)"
                default: continue
                }
                if seen.insert(name).inserted { called.append(name) }
            }
            var modules: [String] = []
            for imp in moduleImports + parser.imports.filter({ $0.depth > 0 && $0.lineNumber >= s.lineStart && $0.lineNumber <= s.lineEnd }) {
                let m = imp.level > 0 ? String(repeating: ".", count: imp.level) + (imp.module ?? "") : (imp.module ?? "")
                let full = imp.name.map { m.isEmpty ? $0 : m } ?? m
                if !full.isEmpty, !modules.contains(full) { modules.append(full) }
            }
            out.append(
                PythonFunctionFacts(
                    name: s.qualifiedName, signature: s.signature, docstring: s.docstring, source: text,
                    bodyHash: PythonExtractor.bodyHash(tokens, draft), lineStart: startLine, lineEnd: s.lineEnd,
                    complexity: complexity(body), calledNames: called, importedModules: modules,
                    dunderAttributes: dunderAttributes(body), dunderStrings: dunderStrings(body),
                    dynamicAttributeCalls: dynamicAttributeCalls(Array(body)), namesUsed: Set(body.filter { $0.kind == .name }.map(\.text))))
        }
        return out
    }

    /// The source lines of the module-level import statements, in order (a parenthesised import keeps its lines).
    static func moduleImportStatements(_ imports: [CodeImport], lines: [Substring]) -> String {
        var out: [String] = []
        var done = Set<Int>()
        for line in imports.map(\.lineNumber).sorted() where !done.contains(line) && line >= 1 && line <= lines.count {
            var k = line - 1
            var balance = 0
            repeat {
                done.insert(k + 1)
                let text = lines[k]
                out.append(String(text))
                balance += text.filter { $0 == "(" }.count - text.filter { $0 == ")" }.count
                k += 1
            } while balance > 0 && k < lines.count
        }
        return out.joined(separator: "\n")
    }

    static func complexity(_ body: ArraySlice<PyToken>) -> Int {
        var n = 1
        var previous: PyToken?
        for t in body {
            if t.kind == .name {
                switch t.text {
                case "if", "elif", "for", "while", "except", "and", "or": n += 1
                // `case` is a soft keyword: count it only where it starts a line of a match block.
                case "case" where previous?.kind == .indent || previous?.kind == .newline || previous?.kind == .dedent: n += 1
                default: break
                }
            }
            previous = t
        }
        return n
    }

    static func isDunder(_ s: String) -> Bool { s.count > 4 && s.hasPrefix("__") && s.hasSuffix("__") }

    static func dunderAttributes(_ body: ArraySlice<PyToken>) -> [String] {
        var out: [String] = []
        var afterDot = false
        for t in body {
            if t.kind == .op { afterDot = t.text == "."; continue }
            if afterDot, t.kind == .name, isDunder(t.text), !out.contains(t.text) { out.append(t.text) }
            afterDot = false
        }
        return out
    }

    static func dunderStrings(_ body: ArraySlice<PyToken>) -> [String] {
        var out: [String] = []
        for t in body where t.kind == .string && t.text.contains("__") {
            let literal = String(t.text.prefix(60))
            if !out.contains(literal) { out.append(literal) }
        }
        return out
    }

    static func dynamicAttributeCalls(_ body: [PyToken]) -> Int {
        var count = 0
        var i = 0
        while i + 1 < body.count {
            let t = body[i]
            if t.kind == .name, ["getattr", "setattr", "delattr", "hasattr"].contains(t.text), body[i + 1].kind == .op, body[i + 1].text == "(" {
                // Skip the first argument to its top-level comma; the second must be one string token.
                var depth = 0
                var j = i + 2
                while j < body.count {
                    let u = body[j]
                    if u.kind == .op {
                        if ["(", "[", "{"].contains(u.text) { depth += 1 }
                        if [")", "]", "}"].contains(u.text) { if depth == 0 { break }; depth -= 1 }
                        if u.text == ",", depth == 0 { break }
                    }
                    j += 1
                }
                let literal =
                    j + 2 < body.count && body[j].text == "," && body[j + 1].kind == .string
                    && body[j + 2].kind == .op && [",", ")"].contains(body[j + 2].text)
                if !literal { count += 1 }
                i = j
            }
            i += 1
        }
        return count
    }
}
