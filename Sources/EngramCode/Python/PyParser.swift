import Foundation

/// Recursive-descent Python parser that records definitions, calls and imports as it goes.
/// Expressions are built as `PyExpr` trees (for `ast.unparse`-exact text); statements are not kept.
struct PyParser {
    static let maxDepth = 100
    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    struct Scope {
        var name: String
        var isClass: Bool
        var qualified: String
    }

    struct RawCall {
        var function: PyExpr
        var line: Int
        var caller: String
        var currentClass: String?
    }

    struct Draft {
        var symbol: CodeSymbol
        var firstToken: Int
        var lastToken: Int
        var docTokens: Range<Int>?
        var docValue: String?
    }

    var toks: [PyToken]
    var p = 0
    var depth = 0
    var lastEnd: Int32 = 1
    var scopes: [Scope] = []
    var drafts: [Draft] = []
    var calls: [RawCall] = []
    var imports: [CodeImport] = []
    var classBases: [String: [String]] = [:]
    var recordCalls = true
    // Value-flow record (see PyFlowUnit); scope 0 is the module.
    var flowScopes: [PyFlowScope] = [PyFlowScope(kind: .module, qualified: "", parent: -1, params: nil, line: 1)]
    var flowFacts: [PyFlowFact] = []
    var sites: [PyCallSite] = []
    var importScopes: [Int32] = []
    var flowCurrent: Int32 = 0

    init(tokens: [PyToken]) {
        self.toks = tokens
    }

    var flowUnit: PyFlowUnit { PyFlowUnit(scopes: flowScopes, facts: flowFacts, sites: sites, importScopes: importScopes) }

    /// Records the names a target binds in the current flow scope.
    mutating func bindTargets(_ e: PyExpr) {
        switch e {
        case .name(let n): flowScopes[Int(flowCurrent)].locals.insert(n)
        case .tuple(let es), .list(let es): for x in es { bindTargets(x) }
        case .starred(let x): bindTargets(x)
        default: break
        }
    }

    mutating func newFlowScope(_ kind: PyFlowScope.Kind, qualified: String, params: PyArguments?, line: Int) -> Int32 {
        flowScopes.append(PyFlowScope(kind: kind, qualified: qualified, parent: flowCurrent, params: params, line: Int32(line)))
        let id = Int32(flowScopes.count - 1)
        if let params {
            for prm in params.posOnly + params.args + params.kwOnly { flowScopes[Int(id)].locals.insert(prm.name) }
            if let v = params.vararg { flowScopes[Int(id)].locals.insert(v.name) }
            if let k = params.kwarg { flowScopes[Int(id)].locals.insert(k.name) }
        }
        return id
    }

    /// Counts to truncate the flow record to when a speculative parse backtracks.
    var flowMark: (Int, Int, Int, Int) { (flowScopes.count, flowFacts.count, sites.count, importScopes.count) }

    mutating func restoreFlow(_ m: (Int, Int, Int, Int)) {
        flowScopes.removeSubrange(m.0...)
        flowFacts.removeSubrange(m.1...)
        sites.removeSubrange(m.2...)
        importScopes.removeSubrange(m.3...)
    }

    // MARK: token helpers

    var tok: PyToken { toks[p] }

    func peek(_ k: Int = 1) -> PyToken { toks[min(p + k, toks.count - 1)] }

    func isOp(_ s: String) -> Bool { toks[p].kind == .op && toks[p].text == s }

    /// Keyword test; only keyword tokens are compared by text.
    func isKw(_ s: String) -> Bool { toks[p].flags & PyToken.keywordFlag != 0 && toks[p].text == s }

    mutating func advance() {
        let k = toks[p].kind
        if k != .newline && k != .indent && k != .dedent && k != .endMarker { lastEnd = toks[p].endLine }
        if p < toks.count - 1 { p += 1 }
    }

    func error(_ message: String? = nil) -> PySyntaxError {
        let t = tok
        let msg: String
        if let message {
            msg = message
        } else {
            switch t.kind {
            case .indent: msg = "unexpected indent"
            case .dedent: msg = "unindent does not match"
            case .endMarker: msg = "unexpected EOF while parsing"
            case .newline: msg = "invalid syntax (unexpected end of line)"
            default: msg = "invalid syntax near '\(t.text.prefix(20))'"
            }
        }
        return PySyntaxError(line: Int(t.line), col: Int(t.col) + 1, message: msg)
    }

    mutating func expectOp(_ s: String) throws(PySyntaxError) {
        guard isOp(s) else { throw error("expected '\(s)'") }
        advance()
    }

    mutating func expectKw(_ s: String) throws(PySyntaxError) {
        guard isKw(s) else { throw error("expected '\(s)'") }
        advance()
    }

    mutating func expectName() throws(PySyntaxError) -> String {
        guard toks[p].kind == .name, toks[p].flags & PyToken.keywordFlag == 0 else { throw error("expected a name") }
        let name = toks[p].text
        advance()
        return name
    }

    mutating func enter() throws(PySyntaxError) {
        depth += 1
        if depth > PyParser.maxDepth {
            throw PySyntaxError(line: Int(tok.line), col: Int(tok.col) + 1, message: "too deeply nested", tooDeep: true)
        }
    }

    // MARK: statements

    mutating func parseFile() throws(PySyntaxError) {
        while tok.kind != .endMarker {
            if tok.kind == .newline { advance(); continue }
            if tok.kind == .indent { throw error("unexpected indent") }
            _ = try parseStatement()
        }
    }

    /// Parses one statement; returns the expression of a bare expression statement (for docstrings).
    mutating func parseStatement() throws(PySyntaxError) -> PyExpr? {
        try enter()
        defer { depth -= 1 }
        let t = tok
        if t.kind == .op && t.text == "@" {
            let first = p
            var decorators: [String] = []
            var decoratorExprs: [PyExpr] = []
            while isOp("@") {
                advance()
                let e = try parseNamedExpr()
                decoratorExprs.append(e)
                decorators.append(PyUnparser.unparse(e))
                guard tok.kind == .newline else { throw error() }
                advance()
            }
            if isKw("def") {
                try parseFuncDef(decorators: decorators, firstToken: first, isAsync: false, decoratorExprs: decoratorExprs)
            } else if isKw("async") && peek().text == "def" {
                advance(); try parseFuncDef(decorators: decorators, firstToken: first, isAsync: true, decoratorExprs: decoratorExprs)
            } else if isKw("class") {
                try parseClassDef(decorators: decorators, firstToken: first, decoratorExprs: decoratorExprs)
            } else {
                throw error("expected def or class after decorator")
            }
            return nil
        }
        if t.kind != .name { return try parseSimpleStatements() }
        switch t.text {
        case "def": try parseFuncDef(decorators: [], firstToken: p, isAsync: false)
        case "class": try parseClassDef(decorators: [], firstToken: p)
        case "async":
            let n = peek().text
            if n == "def" {
                let f = p; advance(); try parseFuncDef(decorators: [], firstToken: f, isAsync: true)
            } else if n == "for" {
                advance(); try parseFor()
            } else if n == "with" {
                advance(); try parseWith()
            } else {
                throw error()
            }
        case "if":
            advance()
            _ = try parseNamedExpr()
            try parseBlock()
            while isKw("elif") { advance(); _ = try parseNamedExpr(); try parseBlock() }
            if isKw("else") { advance(); try parseBlock() }
        case "while":
            advance()
            _ = try parseNamedExpr()
            try parseBlock()
            if isKw("else") { advance(); try parseBlock() }
        case "for": try parseFor()
        case "with": try parseWith()
        case "try":
            advance()
            try parseBlock()
            var handlers = 0
            while isKw("except") {
                advance()
                handlers += 1
                if isOp("*") { advance() }
                if !isOp(":") {
                    _ = try parseExpression()
                    if isOp(",") {
                        while isOp(",") { advance(); if isOp(":") || isKw("as") { break }; _ = try parseExpression() }
                    }
                    if isKw("as") { advance(); flowScopes[Int(flowCurrent)].locals.insert(try expectName()) }
                }
                try parseBlock()
            }
            if isKw("else") { advance(); try parseBlock() }
            if isKw("finally") { advance(); try parseBlock(); handlers += 1 }
            if handlers == 0 { throw error("expected 'except' or 'finally' block") }
        case "match":
            let save = (p, drafts.count, calls.count, imports.count, lastEnd)
            let mark = flowMark
            do throws(PySyntaxError) {
                try parseMatch()
            } catch {
                if error.tooDeep { throw error }
                restoreFlow(mark)
                p = save.0
                drafts.removeSubrange(save.1...)
                calls.removeSubrange(save.2...)
                imports.removeSubrange(save.3...)
                lastEnd = save.4
                return try parseSimpleStatements()
            }
        default:
            return try parseSimpleStatements()
        }
        return nil
    }

    mutating func parseFor() throws(PySyntaxError) {
        try expectKw("for")
        let target = try parseStarTargets()
        try expectKw("in")
        let iter = try parseStarExpressions()
        bindTargets(target)
        flowFacts.append(.loop(target: target, iter: iter, scope: flowCurrent))
        try parseBlock()
        if isKw("else") { advance(); try parseBlock() }
    }

    mutating func parseWith() throws(PySyntaxError) {
        try expectKw("with")
        if isOp("(") {
            let save = (p, calls.count, lastEnd)
            let mark = flowMark
            do throws(PySyntaxError) {
                advance()
                while true {
                    try parseWithItem()
                    if isOp(",") { advance(); if isOp(")") { break } } else { break }
                }
                try expectOp(")")
                guard isOp(":") else { throw error() }
                try parseBlock()
                return
            } catch {
                if error.tooDeep { throw error }
                p = save.0; calls.removeSubrange(save.1...); lastEnd = save.2; restoreFlow(mark)
            }
        }
        while true {
            try parseWithItem()
            if isOp(",") { advance() } else { break }
        }
        try parseBlock()
    }

    mutating func parseWithItem() throws(PySyntaxError) {
        let line = Int32(tok.line)
        let e = try parseExpression()
        var target: PyExpr?
        if isKw("as") { advance(); target = try parseStarTarget() }
        if let target { bindTargets(target) }
        flowFacts.append(.with(e, target: target, scope: flowCurrent, line: line))
    }

    mutating func parseMatch() throws(PySyntaxError) {
        advance()
        _ = try parseStarNamedExpressions()
        try expectOp(":")
        guard tok.kind == .newline else { throw error() }
        advance()
        guard tok.kind == .indent else { throw error() }
        advance()
        var cases = 0
        while toks[p].kind == .name && toks[p].text == "case" {
            advance()
            cases += 1
            // Patterns contain no calls; skip them up to the guard or the block colon.
            var bracket = 0
            while true {
                let t = tok
                if t.kind == .endMarker || t.kind == .newline { throw error() }
                if t.kind == .op {
                    if t.text == "(" || t.text == "[" || t.text == "{" {
                        bracket += 1
                    } else if t.text == ")" || t.text == "]" || t.text == "}" {
                        bracket -= 1
                    } else if t.text == ":" && bracket == 0 {
                        break
                    }
                }
                if t.kind == .name && t.text == "if" && bracket == 0 { break }
                advance()
            }
            if isKw("if") { advance(); _ = try parseNamedExpr() }
            try parseBlock()
        }
        if cases == 0 { throw error("expected 'case'") }
        guard tok.kind == .dedent else { throw error() }
        advance()
    }

    /// `:` then an indented block or simple statements on the same line.
    /// Returns the docstring expression and its token range when the first statement is a bare string.
    @discardableResult
    mutating func parseBlock() throws(PySyntaxError) -> (PyExpr, Range<Int>)? {
        try expectOp(":")
        if tok.kind == .newline {
            advance()
            guard tok.kind == .indent else { throw error("expected an indented block") }
            advance()
            var first = true
            var doc: (PyExpr, Range<Int>)?
            while tok.kind != .dedent && tok.kind != .endMarker {
                if tok.kind == .newline { advance(); continue }
                let start = p
                let e = try parseStatement()
                if first, let e, case .constant(.str) = e { doc = (e, start..<p) }
                first = false
            }
            advance()
            return doc
        }
        let start = p
        if let e = try parseSimpleStatements(), case .constant(.str) = e { return (e, start..<p) }
        return nil
    }

    mutating func parseSimpleStatements() throws(PySyntaxError) -> PyExpr? {
        let first = try parseSmallStatement()
        var count = 1
        while isOp(";") {
            advance()
            if tok.kind == .newline { break }
            _ = try parseSmallStatement()
            count += 1
        }
        guard tok.kind == .newline else { throw error() }
        advance()
        return first
    }

    mutating func parseSmallStatement() throws(PySyntaxError) -> PyExpr? {
        let t = tok
        if t.kind == .name {
            switch t.text {
            case "pass", "break", "continue": advance(); return nil
            case "return":
                advance()
                if !atStatementEnd { flowFacts.append(.ret(try parseStarExpressions(), scope: flowCurrent)) }
                return nil
            case "raise":
                advance()
                if !atStatementEnd {
                    _ = try parseExpression()
                    if isKw("from") { advance(); _ = try parseExpression() }
                }
                return nil
            case "global", "nonlocal":
                let isGlobal = t.text == "global"
                advance()
                var names = [try expectName()]
                while isOp(",") { advance(); names.append(try expectName()) }
                for n in names {
                    if isGlobal { flowScopes[Int(flowCurrent)].globals.insert(n) } else { flowScopes[Int(flowCurrent)].nonlocals.insert(n) }
                }
                return nil
            case "del":
                advance()
                _ = try parseStarExpressions()
                return nil
            case "assert":
                advance()
                _ = try parseExpression()
                if isOp(",") { advance(); _ = try parseExpression() }
                return nil
            case "import":
                advance()
                try parseImport()
                return nil
            case "from":
                advance()
                try parseFromImport()
                return nil
            default: break
            }
        }
        let e = try parseYieldOrStarExpressions()
        if isOp(":") {
            advance()
            _ = try parseExpression()
            if isOp("=") {
                advance()
                let value = try parseYieldOrStarExpressions()
                bindTargets(e)
                flowFacts.append(.assign(targets: [e], value: value, scope: flowCurrent))
            }
            return nil
        }
        if tok.kind == .op, tok.text.count >= 2, tok.text.hasSuffix("="), !["==", "!=", "<=", ">=", ":="].contains(tok.text) {
            advance()
            _ = try parseYieldOrStarExpressions()
            return nil
        }
        guard isOp("=") else { return e }
        var targets = [e]
        var value = e
        while isOp("=") {
            advance()
            value = try parseYieldOrStarExpressions()
            targets.append(value)
        }
        targets.removeLast()
        for t in targets { bindTargets(t) }
        flowFacts.append(.assign(targets: targets, value: value, scope: flowCurrent))
        return nil
    }

    var atStatementEnd: Bool { tok.kind == .newline || isOp(";") || tok.kind == .endMarker }

    mutating func parseDottedName() throws(PySyntaxError) -> String {
        var name = try expectName()
        while isOp(".") { advance(); name += "." + (try expectName()) }
        return name
    }

    var importDepth: Int { scopes.count }

    mutating func parseImport() throws(PySyntaxError) {
        while true {
            let line = Int(tok.line)
            let module = try parseDottedName()
            var alias: String?
            if isKw("as") { advance(); alias = try expectName() }
            imports.append(CodeImport(module: module, level: 0, name: nil, alias: alias, lineNumber: line, depth: importDepth))
            importScopes.append(flowCurrent)
            flowScopes[Int(flowCurrent)].locals.insert(imports[imports.count - 1].boundName)
            if isOp(",") { advance() } else { break }
        }
    }

    mutating func parseFromImport() throws(PySyntaxError) {
        let line = Int(tok.line)
        var level = 0
        while isOp(".") || isOp("...") { level += tok.text.count; advance() }
        var module: String?
        if !isKw("import") { module = try parseDottedName() }
        if module == nil && level == 0 { throw error() }
        try expectKw("import")
        if isOp("*") {
            advance()
            imports.append(CodeImport(module: module, level: level, name: "*", alias: nil, lineNumber: line, depth: importDepth))
            importScopes.append(flowCurrent)
            return
        }
        let paren = isOp("(")
        if paren { advance() }
        while true {
            let name = try expectName()
            var alias: String?
            if isKw("as") { advance(); alias = try expectName() }
            imports.append(CodeImport(module: module, level: level, name: name, alias: alias, lineNumber: line, depth: importDepth))
            importScopes.append(flowCurrent)
            flowScopes[Int(flowCurrent)].locals.insert(alias ?? name)
            if isOp(",") {
                advance()
                if paren && isOp(")") { break }
                if !paren && atStatementEnd { throw error("trailing comma not allowed without surrounding parentheses") }
            } else {
                break
            }
        }
        if paren { try expectOp(")") }
    }

    // MARK: definitions

    var currentQualifiedPrefix: String { scopes.last.map { $0.qualified + "." } ?? "" }

    var callerName: String { scopes.last?.qualified ?? CodeCall.moduleCaller }

    var currentClass: String? { scopes.last(where: { $0.isClass })?.name }

    mutating func parseFuncDef(decorators: [String], firstToken: Int, isAsync: Bool, decoratorExprs: [PyExpr] = []) throws(PySyntaxError) {
        let defLine = Int(tok.line)
        try expectKw("def")
        let name = try expectName()
        try expectOp("(")
        let args = try parseParameters(closing: ")", annotations: true)
        try expectOp(")")
        var returns: PyExpr?
        if isOp("->") { advance(); returns = try parseExpression() }
        let parent = scopes.last
        let inClass = parent?.isClass ?? false
        let kind: SymbolKind = inClass ? (isAsync ? .asyncMethod : .method) : (isAsync ? .asyncFunction : .function)
        let qualified = currentQualifiedPrefix + name
        var sig = name + "(" + PyParser.signatureParameters(args) + ")"
        if let returns { sig += " -> " + PyUnparser.unparse(returns) }
        let symbol = CodeSymbol(
            qualifiedName: qualified, kind: kind, parentClass: inClass ? parent?.name : nil,
            signature: sig, decorators: decorators, docstring: nil,
            lineStart: defLine, lineEnd: defLine, bodyHash: "")
        let outer = flowCurrent
        flowScopes[Int(outer)].locals.insert(name)
        let fs = newFlowScope(.function, qualified: qualified, params: args, line: defLine)
        flowScopes[Int(fs)].decorators = decoratorExprs
        flowFacts.append(.define(scope: fs, in: outer))
        flowCurrent = fs
        defer { flowCurrent = outer }
        try parseBody(symbol: symbol, firstToken: firstToken, scope: Scope(name: name, isClass: false, qualified: qualified))
    }

    mutating func parseClassDef(decorators: [String], firstToken: Int, decoratorExprs: [PyExpr] = []) throws(PySyntaxError) {
        let line = Int(tok.line)
        try expectKw("class")
        let name = try expectName()
        var bases: [String] = []
        var baseExprs: [PyExpr] = []
        if isOp("(") {
            advance()
            let (args, kws) = try parseCallArguments()
            try expectOp(")")
            baseExprs = args
            bases = args.map { PyUnparser.unparse($0) }
            bases += kws.map { k in (k.name.map { $0 + "=" } ?? "**") + PyUnparser.unparse(k.value) }
        }
        let parent = scopes.last
        let qualified = currentQualifiedPrefix + name
        classBases[qualified] = bases
        let sig = bases.isEmpty ? name : name + "(" + bases.joined(separator: ", ") + ")"
        let symbol = CodeSymbol(
            qualifiedName: qualified, kind: .class, parentClass: (parent?.isClass ?? false) ? parent?.name : nil,
            signature: sig, decorators: decorators, docstring: nil,
            lineStart: line, lineEnd: line, bodyHash: "")
        let outer = flowCurrent
        flowScopes[Int(outer)].locals.insert(name)
        let fs = newFlowScope(.class, qualified: qualified, params: nil, line: line)
        flowScopes[Int(fs)].decorators = decoratorExprs
        flowScopes[Int(fs)].bases = baseExprs
        flowFacts.append(.define(scope: fs, in: outer))
        flowCurrent = fs
        defer { flowCurrent = outer }
        try parseBody(symbol: symbol, firstToken: firstToken, scope: Scope(name: name, isClass: true, qualified: qualified))
    }

    mutating func parseBody(symbol: CodeSymbol, firstToken: Int, scope: Scope) throws(PySyntaxError) {
        let index = drafts.count
        drafts.append(Draft(symbol: symbol, firstToken: firstToken, lastToken: firstToken, docTokens: nil))
        scopes.append(scope)
        let doc = try parseBlock()
        scopes.removeLast()
        drafts[index].symbol.lineEnd = Int(lastEnd)
        drafts[index].lastToken = p
        if let (e, range) = doc, case let .constant(.str(s, _)) = e {
            drafts[index].docTokens = range
            drafts[index].docValue = s
            drafts[index].symbol.docstring = PyParser.docstringFirstLine(s)
        }
    }

    /// `ast.get_docstring` (cleandoc) then the first line, stripped; nil when empty.
    static func docstringFirstLine(_ s: String) -> String? {
        for rawLine in s.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = expandTabs(rawLine).trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { return line }
        }
        return nil
    }

    /// `str.expandtabs()`: tabs to the next multiple of 8 columns (code points).
    static func expandTabs(_ line: Substring) -> String {
        guard line.contains("\t") else { return String(line) }
        var out = ""
        var column = 0
        for scalar in line.unicodeScalars {
            if scalar == "\t" {
                let n = 8 - column % 8
                out += String(repeating: " ", count: n)
                column += n
            } else {
                out.unicodeScalars.append(scalar)
                column += 1
            }
        }
        return out
    }

    /// The seed's `_build_signature` parameter list, plus `/`, bare `*` and keyword-only parameters.
    static func signatureParameters(_ a: PyArguments) -> String {
        var parts: [String] = []
        func render(_ prm: PyParam, prefix: String = "") -> String {
            var s = prefix + prm.name
            if let ann = prm.annotation { s += ": " + PyUnparser.unparse(ann) }
            if let d = prm.defaultValue { s += " = " + PyUnparser.unparse(d) }
            return s
        }
        for prm in a.posOnly { parts.append(render(prm)) }
        if !a.posOnly.isEmpty { parts.append("/") }
        for prm in a.args { parts.append(render(prm)) }
        if let v = a.vararg { parts.append(render(v, prefix: "*")) } else if !a.kwOnly.isEmpty { parts.append("*") }
        for prm in a.kwOnly { parts.append(render(prm)) }
        if let k = a.kwarg { parts.append(render(k, prefix: "**")) }
        return parts.joined(separator: ", ")
    }

    mutating func parseParameters(closing: String, annotations: Bool) throws(PySyntaxError) -> PyArguments {
        var a = PyArguments()
        var seenStar = false
        var seenDefault = false
        while !isOp(closing) {
            if isOp("/") {
                if seenStar || !a.posOnly.isEmpty || a.args.isEmpty { throw error("invalid '/' in parameters") }
                a.posOnly = a.args
                a.args = []
                advance()
            } else if isOp("**") {
                advance()
                a.kwarg = try parseParam(annotations: annotations, starAnnotation: false)
                if isOp(",") { advance() }
                guard isOp(closing) else { throw error("arguments cannot follow var-keyword argument") }
                break
            } else if isOp("*") {
                if seenStar { throw error("* argument may appear only once") }
                advance()
                seenStar = true
                if !isOp(",") && !isOp(closing) {
                    a.vararg = try parseParam(annotations: annotations, starAnnotation: true)
                }
            } else {
                var prm = try parseParam(annotations: annotations, starAnnotation: false)
                if isOp("=") {
                    advance()
                    prm.defaultValue = try parseExpression()
                    if !seenStar { seenDefault = true }
                } else if !seenStar && seenDefault {
                    throw error("non-default argument follows default argument")
                }
                if seenStar { a.kwOnly.append(prm) } else { a.args.append(prm) }
            }
            if isOp(",") { advance() } else { break }
        }
        return a
    }

    mutating func parseParam(annotations: Bool, starAnnotation: Bool) throws(PySyntaxError) -> PyParam {
        let name = try expectName()
        var ann: PyExpr?
        if annotations && isOp(":") {
            advance()
            ann = starAnnotation ? try parseStarExpression() : try parseExpression()
        }
        return PyParam(name: name, annotation: ann, defaultValue: nil)
    }
}
