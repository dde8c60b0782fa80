import Foundation

/// Reproduces CPython 3.11 `ast.unparse` for expressions (precedence, quoting, spacing).
struct PyUnparser {
    enum Prec: Int, Comparable {
        case namedExpr = 1, tuple, yield, test, or, and, not, cmp, expr, bxor, band, shift, arith, term, factor, power, await, atom
        static func < (a: Prec, b: Prec) -> Bool { a.rawValue < b.rawValue }
        var next: Prec { Prec(rawValue: min(rawValue + 1, Prec.atom.rawValue)) ?? .atom }
        static let bor = Prec.expr
    }

    static let allQuotes = ["'", "\"", "\"\"\"", "'''"]
    static let multiQuotes = ["\"\"\"", "'''"]

    var avoidBackslashes = false
    private(set) var out = ""

    static func unparse(_ e: PyExpr) -> String {
        var u = PyUnparser()
        u.visit(e, .test)
        return u.out
    }

    private mutating func w(_ s: String) { out += s }

    private mutating func parens(_ cond: Bool, _ body: (inout PyUnparser) -> Void) {
        if cond { out += "(" }
        body(&self)
        if cond { out += ")" }
    }

    private mutating func itemsView(_ items: [PyExpr]) {
        if items.count == 1 {
            visit(items[0], .test)
            w(",")
        } else {
            for (k, e) in items.enumerated() {
                if k > 0 { w(", ") }
                visit(e, .test)
            }
        }
    }

    mutating func visit(_ e: PyExpr, _ p: Prec) {
        switch e {
        case .name(let n):
            w(n)
        case .constant(let c):
            writeConstant(c)
        case .joinedStr(let parts):
            writeJoinedStr(parts)
        case let .attribute(v, attr):
            visit(v, .atom)
            if case .constant(.number(let t)) = v, t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { w(" ") }
            w(".")
            w(attr)
        case let .call(f, args, kws):
            visit(f, .atom)
            w("(")
            var comma = false
            for a in args {
                if comma { w(", ") } else { comma = true }
                visit(a, .test)
            }
            for k in kws {
                if comma { w(", ") } else { comma = true }
                if let n = k.name { w(n); w("=") } else { w("**") }
                visit(k.value, .test)
            }
            w(")")
        case let .index(v, s):
            visit(v, .atom)
            w("[")
            if case .tuple(let elts) = s, !elts.isEmpty { itemsView(elts) } else { visit(s, .test) }
            w("]")
        case let .slice(lo, up, st):
            if let lo { visit(lo, .test) }
            w(":")
            if let up { visit(up, .test) }
            if let st { w(":"); visit(st, .test) }
        case .starred(let v):
            w("*")
            visit(v, .expr)
        case let .unary(op, v):
            let opPrec: Prec = op == "not" ? .not : .factor
            parens(p > opPrec) { u in
                u.w(op)
                if opPrec != .factor { u.w(" ") }
                u.visit(v, opPrec)
            }
        case let .binary(l, op, r):
            let opPrec = PyUnparser.binPrec(op)
            parens(p > opPrec) { u in
                if op == "**" {
                    u.visit(l, opPrec.next); u.w(" \(op) "); u.visit(r, opPrec)
                } else {
                    u.visit(l, opPrec); u.w(" \(op) "); u.visit(r, opPrec.next)
                }
            }
        case let .boolOp(op, vals):
            var opPrec: Prec = op == "and" ? .and : .or
            parens(p > opPrec) { u in
                for (k, v) in vals.enumerated() {
                    if k > 0 { u.w(" \(op) ") }
                    opPrec = opPrec.next
                    u.visit(v, opPrec)
                }
            }
        case let .compare(l, rest):
            parens(p > .cmp) { u in
                u.visit(l, .expr)
                for (op, e) in rest {
                    u.w(" \(op) ")
                    u.visit(e, .expr)
                }
            }
        case let .ifExp(body, test, orElse):
            parens(p > .test) { u in
                u.visit(body, .or); u.w(" if "); u.visit(test, .or); u.w(" else "); u.visit(orElse, .test)
            }
        case let .lambda(args, body, _):
            parens(p > .test) { u in
                u.w("lambda")
                var a = PyUnparser(avoidBackslashes: u.avoidBackslashes)
                a.writeArguments(args)
                if !a.out.isEmpty { u.w(" "); u.w(a.out) }
                u.w(": ")
                u.visit(body, .test)
            }
        case let .namedExpr(t, v):
            parens(p > .namedExpr) { u in
                u.visit(t, .atom); u.w(" := "); u.visit(v, .atom)
            }
        case .await(let v):
            parens(p > .await) { u in
                u.w("await "); u.visit(v, .atom)
            }
        case .yield(let v):
            parens(p > .yield) { u in
                u.w("yield")
                if let v { u.w(" "); u.visit(v, .atom) }
            }
        case .yieldFrom(let v):
            parens(p > .yield) { u in
                u.w("yield from "); u.visit(v, .atom)
            }
        case .tuple(let elts):
            parens(elts.isEmpty || p > .tuple) { u in u.itemsView(elts) }
        case .list(let elts):
            w("[")
            for (k, x) in elts.enumerated() { if k > 0 { w(", ") }; visit(x, .test) }
            w("]")
        case .set(let elts):
            if elts.isEmpty { w("{*()}"); break }
            w("{")
            for (k, x) in elts.enumerated() { if k > 0 { w(", ") }; visit(x, .test) }
            w("}")
        case .dict(let items):
            w("{")
            for (k, item) in items.enumerated() {
                if k > 0 { w(", ") }
                if let key = item.0 {
                    visit(key, .test); w(": "); visit(item.1, .test)
                } else {
                    w("**"); visit(item.1, .expr)
                }
            }
            w("}")
        case let .listComp(elt, gens):
            w("["); visit(elt, .test); writeGens(gens); w("]")
        case let .setComp(elt, gens):
            w("{"); visit(elt, .test); writeGens(gens); w("}")
        case let .genExp(elt, gens):
            w("("); visit(elt, .test); writeGens(gens); w(")")
        case let .dictComp(k, v, gens):
            w("{"); visit(k, .test); w(": "); visit(v, .test); writeGens(gens); w("}")
        }
    }

    static func binPrec(_ op: String) -> Prec {
        switch op {
        case "+", "-": return .arith
        case "*", "@", "/", "%", "//": return .term
        case "<<", ">>": return .shift
        case "|": return .bor
        case "^": return .bxor
        case "&": return .band
        default: return .power
        }
    }

    private mutating func writeGens(_ gens: [PyComprehension]) {
        for g in gens {
            w(g.isAsync ? " async for " : " for ")
            visit(g.target, .tuple)
            w(" in ")
            visit(g.iter, .or)
            for c in g.ifs { w(" if "); visit(c, .or) }
        }
    }

    /// `visit_arguments`: `a, b=1, /, c, *args, d=2, **kw` (annotations with `: `).
    mutating func writeArguments(_ a: PyArguments) {
        var first = true
        func sep(_ u: inout PyUnparser) { if first { first = false } else { u.w(", ") } }
        let all = a.posOnly + a.args
        for (k, prm) in all.enumerated() {
            sep(&self)
            writeArg(prm)
            if let d = prm.defaultValue { w("="); visit(d, .test) }
            if k + 1 == a.posOnly.count { w(", /") }
        }
        if a.vararg != nil || !a.kwOnly.isEmpty {
            sep(&self)
            w("*")
            if let v = a.vararg { writeArg(v) }
        }
        for prm in a.kwOnly {
            w(", ")
            writeArg(prm)
            if let d = prm.defaultValue { w("="); visit(d, .test) }
        }
        if let kw = a.kwarg {
            sep(&self)
            w("**")
            writeArg(kw)
        }
    }

    private mutating func writeArg(_ p: PyParam) {
        w(p.name)
        if let ann = p.annotation { w(": "); visit(ann, .test) }
    }

    // MARK: constants

    private mutating func writeConstant(_ c: PyConstant) {
        switch c {
        case let .str(s, isU):
            if isU { w("u") }
            if avoidBackslashes { writeStrAvoidingBackslashes(s, PyUnparser.allQuotes) } else { w(PyRepr.str(s)) }
        case .bytes(let b): w(PyRepr.bytes(b))
        case .number(let t): w(t)
        case .none: w("None")
        case .true: w("True")
        case .false: w("False")
        case .ellipsis: w("...")
        }
    }

    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        if s.value == 0x20 { return true }
        if s.value < 0x20 || s.value == 0x7F { return false }
        if s.value < 0x7F { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
            .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func unicodeEscape(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x5C: return "\\\\"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0..<0x100: return "\\x" + PyRepr.hex(s.value, 2)
        case 0x100..<0x10000: return "\\u" + PyRepr.hex(s.value, 4)
        default: return "\\U" + PyRepr.hex(s.value, 8)
        }
    }

    /// `_str_literal_helper`: returns the escaped body and the usable quote types.
    static func strLiteralHelper(_ string: String, _ quoteTypes: [String], escapeSpecialWhitespace: Bool) -> (String, [String]) {
        var escaped = ""
        for sc in string.unicodeScalars {
            if !escapeSpecialWhitespace && (sc == "\n" || sc == "\t") { escaped.unicodeScalars.append(sc); continue }
            if sc == "\\" || !isPrintable(sc) { escaped += unicodeEscape(sc) } else { escaped.unicodeScalars.append(sc) }
        }
        var possible = quoteTypes
        if escaped.contains("\n") { possible = possible.filter { multiQuotes.contains($0) } }
        possible = possible.filter { !escaped.contains($0) }
        if possible.isEmpty {
            let r = PyRepr.str(string)
            let first = String(r.first!)
            let quote = quoteTypes.first(where: { $0.contains(first) }) ?? first
            return (String(r.dropFirst().dropLast()), [quote])
        }
        if let last = escaped.unicodeScalars.last {
            // Stable sort: quotes whose char differs from the final char come first.
            let ls = String(last)
            possible = possible.filter { String($0.first!) != ls } + possible.filter { String($0.first!) == ls }
            if String(possible[0].first!) == ls {
                escaped.unicodeScalars.removeLast()
                escaped += "\\" + ls
            }
        }
        return (escaped, possible)
    }

    private mutating func writeStrAvoidingBackslashes(_ s: String, _ quotes: [String]) {
        let (body, qs) = PyUnparser.strLiteralHelper(s, quotes, escapeSpecialWhitespace: false)
        w(qs[0]); w(body); w(qs[0])
    }

    // MARK: f-strings

    private mutating func fstringInner(_ parts: [PyFPart]) {
        for part in parts { fstringPart(part) }
    }

    private mutating func fstringPart(_ part: PyFPart) {
        switch part {
        case .literal(let s):
            w(s.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}"))
        case let .field(e, conv, spec):
            w("{")
            var inner = PyUnparser(avoidBackslashes: true)
            inner.visit(e, .or)
            if inner.out.hasPrefix("{") { w(" ") }
            w(inner.out)
            if let conv { w("!"); w(String(UnicodeScalar(conv))) }
            if let spec { w(":"); fstringInner(spec) }
            w("}")
        }
    }

    private mutating func writeJoinedStr(_ parts: [PyFPart]) {
        w("f")
        if avoidBackslashes {
            var b = PyUnparser(avoidBackslashes: true)
            b.fstringInner(parts)
            writeStrAvoidingBackslashes(b.out, PyUnparser.allQuotes)
            return
        }
        var pieces: [(String, Bool)] = []
        for part in parts {
            var b = PyUnparser(avoidBackslashes: false)
            b.fstringPart(part)
            if case .literal = part { pieces.append((b.out, true)) } else { pieces.append((b.out, false)) }
        }
        var quoteTypes = PyUnparser.allQuotes
        var newParts: [String] = []
        var fallback = false
        for (value, isConst) in pieces {
            let (v, nq) = PyUnparser.strLiteralHelper(value, quoteTypes, escapeSpecialWhitespace: isConst)
            newParts.append(v)
            if Set(nq).isDisjoint(with: quoteTypes) { fallback = true; break }
            quoteTypes = nq
        }
        if fallback {
            quoteTypes = ["'''"]
            newParts = pieces.map { value, _ in
                let r = PyRepr.str("\"" + value)
                return String(r.dropFirst(2).dropLast())
            }
        }
        let q = quoteTypes[0]
        w(q); w(newParts.joined()); w(q)
    }
}
