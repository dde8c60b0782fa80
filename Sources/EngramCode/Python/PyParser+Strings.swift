import Foundation

extension PyParser {
    /// Adjacent string tokens concatenated as CPython does (Constant or JoinedStr).
    mutating func parseStrings() throws(PySyntaxError) -> PyExpr {
        var parts: [PyFPart] = []
        var anyF = false
        var bytes: [UInt8]? = nil
        var sawStr = false
        var isU = false
        var first = true
        while tok.kind == .string {
            let t = tok
            advance()
            let lit = PyStringDecoder.split(t.text)
            if first { isU = lit.isU; first = false }
            if lit.isBytes {
                if sawStr { throw PySyntaxError(line: Int(t.line), col: Int(t.col) + 1, message: "cannot mix bytes and nonbytes literals") }
                bytes = (bytes ?? []) + PyStringDecoder.bytesValue(lit.body, raw: lit.isRaw)
                continue
            }
            if bytes != nil { throw PySyntaxError(line: Int(t.line), col: Int(t.col) + 1, message: "cannot mix bytes and nonbytes literals") }
            sawStr = true
            if lit.isF {
                anyF = true
                var line = Int(t.line)
                for b in t.text.utf8.prefix(lit.bodyOffset) where b == 10 { line += 1 }
                try parseFString(lit.body, raw: lit.isRaw, line: line, into: &parts, depth: 0)
            } else {
                appendLiteral(PyStringDecoder.unescape(lit.body, raw: lit.isRaw), to: &parts)
            }
        }
        if let bytes { return .constant(.bytes(bytes)) }
        if anyF { return .joinedStr(parts) }
        var s = ""
        for case .literal(let l) in parts { s += l }
        return .constant(.str(s, isU: isU))
    }

    func appendLiteral(_ s: String, to parts: inout [PyFPart]) {
        if s.isEmpty { return }
        if case .literal(let prev) = parts.last {
            parts[parts.count - 1] = .literal(prev + s)
        } else {
            parts.append(.literal(s))
        }
    }

    /// Splits an f-string body into literals and replacement fields; field expressions are parsed
    /// with this parser (so their calls are recorded in the current scope).
    mutating func parseFString(
        _ body: ArraySlice<UInt8>, raw: Bool, line startLine: Int,
        into parts: inout [PyFPart], depth: Int
    ) throws(PySyntaxError) {
        if depth > 2 { throw PySyntaxError(line: startLine, col: 1, message: "f-string: expressions nested too deeply") }
        var i = body.startIndex
        var line = startLine
        var literal: [UInt8] = []
        func flush(_ parts: inout [PyFPart]) {
            if !literal.isEmpty {
                appendLiteral(PyStringDecoder.unescape(literal[...], raw: raw), to: &parts)
                literal.removeAll()
            }
        }
        while i < body.endIndex {
            let c = body[i]
            if c == 10 { line += 1 }
            if c == 92, !raw, i + 1 < body.endIndex {
                literal.append(c); literal.append(body[i + 1])
                if body[i + 1] == 10 { line += 1 }
                i += 2
                continue
            }
            if c == 125 {
                if i + 1 < body.endIndex, body[i + 1] == 125 { literal.append(125); i += 2; continue }
                throw PySyntaxError(line: line, col: 1, message: "f-string: single '}' is not allowed")
            }
            if c != 123 { literal.append(c); i += 1; continue }
            if i + 1 < body.endIndex, body[i + 1] == 123 { literal.append(123); i += 2; continue }
            flush(&parts)
            // Replacement field: find the end of the expression.
            let exprStart = i + 1
            var j = exprStart
            var bracket = 0
            var exprEnd = -1
            var selfDoc = false
            while j < body.endIndex {
                let d = body[j]
                if d == 34 || d == 39 {
                    j = skipNestedString(body, j)
                    continue
                }
                if d == 40 || d == 91 || d == 123 {
                    bracket += 1
                } else if d == 41 || d == 93 {
                    bracket -= 1
                } else if d == 125 {
                    if bracket == 0 { exprEnd = j; break }; bracket -= 1
                } else if bracket == 0 {
                    let next: UInt8 = j + 1 < body.endIndex ? body[j + 1] : 0
                    if d == 61 || d == 33 || d == 60 || d == 62 {
                        if next == 61 { j += 2; continue }
                        if d == 33 { exprEnd = j; break }
                        if d == 61 { selfDoc = true; exprEnd = j; break }
                    } else if d == 58 {
                        exprEnd = j; break
                    }
                }
                j += 1
            }
            guard exprEnd >= 0 else { throw PySyntaxError(line: line, col: 1, message: "f-string: expecting '}'") }
            let exprBytes = body[exprStart..<exprEnd]
            if exprBytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 }) {
                throw PySyntaxError(line: line, col: 1, message: "f-string: empty expression not allowed")
            }
            let expr = try parseFieldExpression(exprBytes, line: line)
            for b in exprBytes where b == 10 { line += 1 }
            j = exprEnd
            if selfDoc {
                j += 1
                while j < body.endIndex, body[j] == 32 { j += 1 }
                appendLiteral(String(decoding: body[exprStart..<j], as: UTF8.self), to: &parts)
            }
            var conversion: UInt8?
            if j < body.endIndex, body[j] == 33 {
                guard j + 1 < body.endIndex, [115, 114, 97].contains(body[j + 1]) else {
                    throw PySyntaxError(line: line, col: 1, message: "f-string: invalid conversion character")
                }
                conversion = body[j + 1]
                j += 2
            }
            var spec: [PyFPart]?
            if j < body.endIndex, body[j] == 58 {
                // Format spec runs to the matching '}' and may hold nested fields.
                var k = j + 1
                var nest = 0
                while k < body.endIndex {
                    if body[k] == 123 { nest += 1 } else if body[k] == 125 { if nest == 0 { break }; nest -= 1 }
                    k += 1
                }
                var specParts: [PyFPart] = []
                try parseFString(body[(j + 1)..<k], raw: raw, line: line, into: &specParts, depth: depth + 1)
                spec = specParts
                j = k
            }
            guard j < body.endIndex, body[j] == 125 else {
                throw PySyntaxError(line: line, col: 1, message: "f-string: expecting '}'")
            }
            if selfDoc && conversion == nil && spec == nil { conversion = 114 }
            parts.append(.field(expr, conversion: conversion, spec: spec))
            i = j + 1
        }
        flush(&parts)
    }

    func skipNestedString(_ body: ArraySlice<UInt8>, _ start: Int) -> Int {
        let q = body[start]
        let triple = start + 2 < body.endIndex && body[start + 1] == q && body[start + 2] == q
        var j = start + (triple ? 3 : 1)
        while j < body.endIndex {
            if body[j] == 92 { j += 2; continue }
            if body[j] == q {
                if !triple { return j + 1 }
                if j + 2 < body.endIndex, body[j + 1] == q, body[j + 2] == q { return j + 3 }
            }
            j += 1
        }
        return body.endIndex
    }

    /// Parses `(expr)` from a replacement field on a token stream shifted to the field's line.
    mutating func parseFieldExpression(_ bytes: ArraySlice<UInt8>, line: Int) throws(PySyntaxError) -> PyExpr {
        var src: [UInt8] = [40]
        src.append(contentsOf: bytes)
        src.append(contentsOf: [10, 41])
        var sub: [PyToken]
        do throws(PySyntaxError) {
            sub = try PyTokenizer.tokenize(src)
        } catch {
            throw PySyntaxError(line: line + error.line - 1, col: error.col, message: "f-string: " + error.message, tooDeep: error.tooDeep)
        }
        for k in sub.indices {
            sub[k].line += Int32(line - 1)
            sub[k].endLine += Int32(line - 1)
        }
        let savedToks = toks, savedP = p, savedEnd = lastEnd
        toks = sub
        p = 0
        defer { toks = savedToks; p = savedP; lastEnd = savedEnd }
        try enter()
        defer { depth -= 1 }
        try expectOp("(")
        let e = isKw("yield") ? try parseYield() : try parseStarExpressions()
        try expectOp(")")
        return e
    }
}
