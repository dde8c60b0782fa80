import Foundation

/// Extracts the function map, calls and imports of one Python file, with no Python at run time.
/// Call resolution here is the seed's per-file `_resolve_call`; `ProjectResolver` refines it across files.
package struct PythonExtractor: Sendable {
    /// Callees the seed drops as noise.
    package static let ignoredCallees: Set<String> = [
        "print", "len", "range", "enumerate", "zip", "isinstance", "hasattr", "getattr", "setattr",
        "super", "type", "str", "int", "float", "bool", "list", "dict", "set", "tuple",
    ]

    package init() {}

    /// Analyses `source`; throws `CodeParseError` when the bytes are not valid Python.
    package func extract(source: Data, path: String) throws(CodeParseError) -> CodeFileAnalysis {
        let result = LargeStackRunner.run { () -> Result<CodeFileAnalysis, CodeParseError> in
            do throws(CodeParseError) {
                let parsed = try parse(source: source, path: path)
                var analysis = CodeFileAnalysis(
                    path: path, language: .python, symbols: parsed.symbols,
                    calls: seedCalls(parsed), imports: parsed.imports, classBases: parsed.classBases)
                analysis.flow = PyFlowBox(parsed.flow)
                return .success(analysis)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parser output before call resolution (the resolver needs the raw call expressions).
    struct Parsed {
        var symbols: [CodeSymbol]
        var rawCalls: [PyParser.RawCall]
        var imports: [CodeImport]
        var classBases: [String: [String]]
        var flow: PyFlowUnit?
    }

    func parse(source: Data, path: String) throws(CodeParseError) -> Parsed {
        let bytes: [UInt8]
        do {
            bytes = try PySourceDecoder.decode(source)
        } catch {
            throw .encoding(path: path, message: "line \(error.line): \(error.message)")
        }
        let outcome = { () -> Result<Parsed, PySyntaxError> in
            do throws(PySyntaxError) {
                let tokens = try PyTokenizer.tokenize(bytes)
                var parser = PyParser(tokens: tokens)
                try parser.parseFile()
                var symbols: [CodeSymbol] = []
                symbols.reserveCapacity(parser.drafts.count)
                for d in parser.drafts {
                    var s = d.symbol
                    s.bodyHash = PythonExtractor.bodyHash(tokens, d)
                    symbols.append(s)
                }
                return .success(
                    Parsed(
                        symbols: symbols, rawCalls: parser.calls, imports: parser.imports, classBases: parser.classBases,
                        flow: parser.flowUnit))
            } catch {
                return .failure(error)
            }
        }()
        switch outcome {
        case .success(let parsed):
            return parsed
        case .failure(let error):
            if error.tooDeep { throw .tooDeep(path: path, line: error.line, column: error.col) }
            throw .syntax(path: path, line: error.line, column: error.col, message: error.message)
        }
    }

    /// Hash of the definition's tokens (decorators through body end). Comments and blank lines
    /// are not tokens; the docstring contributes only its whitespace-collapsed text.
    static func bodyHash(_ tokens: [PyToken], _ d: PyParser.Draft) -> String {
        var h = StableHash()
        var docDone = false
        var k = d.firstToken
        while k < d.lastToken && k < tokens.count {
            let t = tokens[k]
            if let r = d.docTokens, r.contains(k), t.kind == .string {
                if !docDone, let v = d.docValue {
                    h.combine(9)
                    // Collapse whitespace runs (byte level: cheap and Unicode-neutral for the hash).
                    var pendingSpace = false
                    for b in v.utf8 {
                        if b == 32 || b == 9 || b == 10 || b == 13 || b == 12 || b == 11 {
                            pendingSpace = true
                        } else {
                            if pendingSpace { h.combine(32); pendingSpace = false }
                            h.combine(b)
                        }
                    }
                    h.combine(0xFF)
                    docDone = true
                }
                k += 1
                continue
            }
            h.combine(t.kind.rawValue)
            if t.kind != .newline && t.kind != .indent && t.kind != .dedent { h.combine(t.text) }
            k += 1
        }
        return String(h.hex.prefix(12))
    }

    /// The seed's import map: later (and deeper, as `ast.walk` visits) imports win.
    static func seedImportMap(_ imports: [CodeImport]) -> [String: String] {
        var map: [String: String] = [:]
        let ordered = imports.enumerated().sorted { ($0.element.depth, $0.offset) < ($1.element.depth, $1.offset) }
        for (_, imp) in ordered {
            if let name = imp.name {
                if name == "*" { continue }
                map[imp.alias ?? name] = (imp.module ?? "") + "." + name
            } else if let module = imp.module {
                map[imp.alias ?? module] = module
            }
        }
        return map
    }

    func seedCalls(_ parsed: Parsed) -> [CodeCall] {
        let map = PythonExtractor.seedImportMap(parsed.imports)
        var out: [CodeCall] = []
        out.reserveCapacity(parsed.rawCalls.count)
        for raw in parsed.rawCalls {
            let (name, resolved, kind) = PythonExtractor.seedResolve(raw.function, currentClass: raw.currentClass, importMap: map)
            if PythonExtractor.ignoredCallees.contains(name) { continue }
            out.append(
                CodeCall(
                    callerName: raw.caller, calleeName: name, calleeResolved: resolved,
                    resolution: kind, lineNumber: raw.line))
        }
        return out
    }

    static func seedResolve(_ f: PyExpr, currentClass: String?, importMap: [String: String]) -> (String, String?, CallResolution) {
        switch f {
        case .name(let n):
            if let target = importMap[n] { return (n, target, .import) }
            return (n, n, .direct)
        case let .attribute(.name(obj), method):
            if obj == "self" {
                return ("self.\(method)()", currentClass.map { "\($0).\(method)" }, .selfMethod)
            }
            let raw = "\(obj).\(method)()"
            if let target = importMap[obj] { return (raw, "\(target).\(method)", .import) }
            return (raw, "\(obj).\(method)", .direct)
        default:
            return (PyUnparser.unparse(f) + "()", nil, .unresolved)
        }
    }
}
