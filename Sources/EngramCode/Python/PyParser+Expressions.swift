import Foundation

extension PyParser {
    /// Binary-operator precedence levels: `|`, `^`, `&`, shifts, `+ -`, `* / // % @` (see `PyToken.classify`).
    static let binaryLevelCount = 6

    /// True when the current token can begin an expression (used after trailing commas).
    var startsExpression: Bool {
        let t = tok
        switch t.kind {
        case .name:
            return !PyParser.keywords.contains(t.text) || ["None", "True", "False", "not", "lambda", "await", "yield"].contains(t.text)
        case .number, .string: return true
        case .op: return ["(", "[", "{", "-", "+", "~", "*", "...", "**"].contains(t.text)
        default: return false
        }
    }

    mutating func parseYieldOrStarExpressions() throws(PySyntaxError) -> PyExpr {
        if isKw("yield") { return try parseYield() }
        return try parseStarExpressions()
    }

    mutating func parseYield() throws(PySyntaxError) -> PyExpr {
        try expectKw("yield")
        flowScopes[Int(flowCurrent)].isGenerator = true
        if isKw("from") {
            advance()
            let e = try parseExpression()
            flowFacts.append(.yield(e, scope: flowCurrent, from: true))
            return .yieldFrom(e)
        }
        if isOp(")") || isOp("]") || isOp("}") || isOp("=") || atStatementEnd { return .yield(nil) }
        let e = try parseStarExpressions()
        flowFacts.append(.yield(e, scope: flowCurrent, from: false))
        return .yield(e)
    }

    mutating func parseStarExpressions() throws(PySyntaxError) -> PyExpr {
        let first = try parseStarExpression()
        guard isOp(",") else { return first }
        var elts = [first]
        while isOp(",") {
            advance()
            if !startsExpression { break }
            elts.append(try parseStarExpression())
        }
        return .tuple(elts)
    }

    mutating func parseStarExpression() throws(PySyntaxError) -> PyExpr {
        if isOp("*") { advance(); return .starred(try parseBitOr()) }
        return try parseExpression()
    }

    mutating func parseStarNamedExpressions() throws(PySyntaxError) -> PyExpr {
        let first = try parseStarNamedExpression()
        guard isOp(",") else { return first }
        var elts = [first]
        while isOp(",") {
            advance()
            if !startsExpression { break }
            elts.append(try parseStarNamedExpression())
        }
        return .tuple(elts)
    }

    mutating func parseStarNamedExpression() throws(PySyntaxError) -> PyExpr {
        if isOp("*") { advance(); return .starred(try parseBitOr()) }
        return try parseNamedExpr()
    }

    mutating func parseStarTargets() throws(PySyntaxError) -> PyExpr {
        let first = try parseStarTarget()
        guard isOp(",") else { return first }
        var elts = [first]
        while isOp(",") {
            advance()
            if isKw("in") || isOp("=") || !startsExpression { break }
            elts.append(try parseStarTarget())
        }
        return .tuple(elts)
    }

    mutating func parseStarTarget() throws(PySyntaxError) -> PyExpr {
        if isOp("*") { advance(); return .starred(try parseBitOr()) }
        return try parseBitOr()
    }

    mutating func parseNamedExpr() throws(PySyntaxError) -> PyExpr {
        if tok.kind == .name, peek().kind == .op, peek().text == ":=" {
            let name = try expectName()
            advance()
            let value = try parseExpression()
            flowScopes[Int(flowCurrent)].locals.insert(name)
            flowFacts.append(.assign(targets: [.name(name)], value: value, scope: flowCurrent))
            return .namedExpr(.name(name), value)
        }
        return try parseExpression()
    }

    mutating func parseExpression() throws(PySyntaxError) -> PyExpr {
        try enter()
        defer { depth -= 1 }
        if isKw("lambda") {
            advance()
            let line = Int(tok.line)
            let args = try parseParameters(closing: ":", annotations: false)
            try expectOp(":")
            let outer = flowCurrent
            let fs = newFlowScope(.lambda, qualified: flowScopes[Int(outer)].qualified, params: args, line: line)
            flowCurrent = fs
            defer { flowCurrent = outer }
            let body = try parseExpression()
            flowFacts.append(.ret(body, scope: fs))
            return .lambda(args, body, fs)
        }
        let body = try parseDisjunction()
        if isKw("if") {
            advance()
            let test = try parseDisjunction()
            try expectKw("else")
            return .ifExp(body: body, test: test, orElse: try parseExpression())
        }
        return body
    }

    mutating func parseDisjunction() throws(PySyntaxError) -> PyExpr {
        let first = try parseConjunction()
        guard isKw("or") else { return first }
        var vals = [first]
        while isKw("or") { advance(); vals.append(try parseConjunction()) }
        return .boolOp("or", vals)
    }

    mutating func parseConjunction() throws(PySyntaxError) -> PyExpr {
        let first = try parseInversion()
        guard isKw("and") else { return first }
        var vals = [first]
        while isKw("and") { advance(); vals.append(try parseInversion()) }
        return .boolOp("and", vals)
    }

    mutating func parseInversion() throws(PySyntaxError) -> PyExpr {
        if isKw("not") {
            try enter()
            defer { depth -= 1 }
            advance()
            return .unary("not", try parseInversion())
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(PySyntaxError) -> PyExpr {
        let left = try parseBitOr()
        var rest: [(String, PyExpr)] = []
        while true {
            let t = tok
            var op: String?
            if t.kind == .op && t.flags & PyToken.compareFlag != 0 {
                op = t.text; advance()
            } else if t.kind == .name && t.text == "in" {
                op = "in"; advance()
            } else if t.kind == .name && t.text == "not" && peek().kind == .name && peek().text == "in" {
                op = "not in"; advance(); advance()
            } else if t.kind == .name && t.text == "is" {
                advance()
                if isKw("not") { advance(); op = "is not" } else { op = "is" }
            }
            guard let op else { break }
            rest.append((op, try parseBitOr()))
        }
        return rest.isEmpty ? left : .compare(left, rest)
    }

    mutating func parseBitOr() throws(PySyntaxError) -> PyExpr {
        try parseBinary(0)
    }

    mutating func parseBinary(_ level: Int) throws(PySyntaxError) -> PyExpr {
        if level == PyParser.binaryLevelCount { return try parseFactor() }
        var left = try parseBinary(level + 1)
        while toks[p].kind == .op, Int(toks[p].flags & PyToken.levelMask) == level + 1 {
            let op = toks[p].text
            advance()
            left = .binary(left, op, try parseBinary(level + 1))
        }
        return left
    }

    mutating func parseFactor() throws(PySyntaxError) -> PyExpr {
        let t = tok
        if t.kind == .op, t.text == "-" || t.text == "+" || t.text == "~" {
            try enter()
            defer { depth -= 1 }
            advance()
            return .unary(t.text, try parseFactor())
        }
        return try parsePower()
    }

    mutating func parsePower() throws(PySyntaxError) -> PyExpr {
        let base = try parseAwaitPrimary()
        if isOp("**") {
            advance()
            return .binary(base, "**", try parseFactor())
        }
        return base
    }

    mutating func parseAwaitPrimary() throws(PySyntaxError) -> PyExpr {
        if isKw("await") { advance(); return .await(try parsePrimary()) }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(PySyntaxError) -> PyExpr {
        let line = Int(tok.line)
        var e = try parseAtom()
        while true {
            if isOp(".") {
                advance()
                let t = tok
                guard t.kind == .name else { throw error("expected attribute name") }
                advance()
                e = .attribute(e, t.text)
            } else if isOp("(") {
                advance()
                let (args, kws) = try parseCallArguments()
                try expectOp(")")
                if recordCalls {
                    calls.append(RawCall(function: e, line: line, caller: callerName, currentClass: currentClass))
                    sites.append(
                        PyCallSite(
                            function: e, args: args, keywords: kws, scope: flowCurrent, line: Int32(line),
                            caller: callerName, currentClass: currentClass))
                }
                e = .call(e, args, kws)
            } else if isOp("[") {
                advance()
                let s = try parseSlices()
                try expectOp("]")
                e = .index(e, s)
            } else {
                return e
            }
        }
    }

    mutating func parseCallArguments() throws(PySyntaxError) -> ([PyExpr], [PyKeyword]) {
        var args: [PyExpr] = []
        var kws: [PyKeyword] = []
        while !isOp(")") {
            if isOp("*") {
                advance(); args.append(.starred(try parseExpression()))
            } else if isOp("**") {
                advance(); kws.append(PyKeyword(name: nil, value: try parseExpression()))
            } else if tok.kind == .name, peek().kind == .op, peek().text == "=" {
                let name = tok.text
                advance(); advance()
                kws.append(PyKeyword(name: name, value: try parseExpression()))
            } else {
                let e = try parseNamedExpr()
                if isKw("for") || (isKw("async") && peek().text == "for") {
                    args.append(.genExp(e, try parseComprehensions()))
                } else {
                    args.append(e)
                }
            }
            if isOp(",") { advance() } else { break }
        }
        return (args, kws)
    }

    mutating func parseSlices() throws(PySyntaxError) -> PyExpr {
        let first = try parseSlice()
        guard isOp(",") else { return first }
        var elts = [first]
        while isOp(",") {
            advance()
            if isOp("]") { break }
            elts.append(try parseSlice())
        }
        return .tuple(elts)
    }

    mutating func parseSlice() throws(PySyntaxError) -> PyExpr {
        var lower: PyExpr?
        if !isOp(":") {
            if isOp("*") { advance(); return .starred(try parseBitOr()) }
            lower = try parseNamedExpr()
            if !isOp(":") { return lower! }
        }
        advance()
        var upper: PyExpr?
        var step: PyExpr?
        if !isOp(":") && !isOp(",") && !isOp("]") { upper = try parseExpression() }
        if isOp(":") {
            advance()
            if !isOp(",") && !isOp("]") { step = try parseExpression() }
        }
        return .slice(lower, upper, step)
    }

    mutating func parseComprehensions() throws(PySyntaxError) -> [PyComprehension] {
        var gens: [PyComprehension] = []
        while isKw("for") || (isKw("async") && peek().text == "for") {
            var isAsync = false
            if isKw("async") { advance(); isAsync = true }
            advance()
            let target = try parseStarTargets()
            try expectKw("in")
            let iter = try parseDisjunction()
            bindTargets(target)
            flowFacts.append(.loop(target: target, iter: iter, scope: flowCurrent))
            var ifs: [PyExpr] = []
            while isKw("if") { advance(); ifs.append(try parseDisjunction()) }
            gens.append(PyComprehension(target: target, iter: iter, ifs: ifs, isAsync: isAsync))
        }
        return gens
    }

    mutating func parseAtom() throws(PySyntaxError) -> PyExpr {
        let t = tok
        switch t.kind {
        case .name:
            switch t.text {
            case "None": advance(); return .constant(.none)
            case "True": advance(); return .constant(.true)
            case "False": advance(); return .constant(.false)
            default:
                if t.flags & PyToken.keywordFlag != 0 { throw error() }
                advance()
                return .name(t.text)
            }
        case .number:
            advance()
            return .constant(.number(PyRepr.number(t.text)))
        case .string:
            return try parseStrings()
        case .op:
            switch t.text {
            case "...": advance(); return .constant(.ellipsis)
            case "(":
                advance()
                if isOp(")") { advance(); return .tuple([]) }
                if isKw("yield") { let y = try parseYield(); try expectOp(")"); return y }
                let first = try parseStarNamedExpression()
                if isKw("for") || (isKw("async") && peek().text == "for") {
                    let gens = try parseComprehensions()
                    try expectOp(")")
                    return .genExp(first, gens)
                }
                if isOp(")") { advance(); return first }
                var elts = [first]
                while isOp(",") {
                    advance()
                    if isOp(")") { break }
                    elts.append(try parseStarNamedExpression())
                }
                try expectOp(")")
                return .tuple(elts)
            case "[":
                advance()
                if isOp("]") { advance(); return .list([]) }
                let first = try parseStarNamedExpression()
                if isKw("for") || (isKw("async") && peek().text == "for") {
                    let gens = try parseComprehensions()
                    try expectOp("]")
                    return .listComp(first, gens)
                }
                var elts = [first]
                while isOp(",") {
                    advance()
                    if isOp("]") { break }
                    elts.append(try parseStarNamedExpression())
                }
                try expectOp("]")
                return .list(elts)
            case "{":
                advance()
                return try parseBraces()
            default:
                throw error()
            }
        default:
            throw error()
        }
    }

    mutating func parseBraces() throws(PySyntaxError) -> PyExpr {
        if isOp("}") { advance(); return .dict([]) }
        var isDict: Bool
        var items: [(PyExpr?, PyExpr)] = []
        var elts: [PyExpr] = []
        if isOp("**") {
            advance()
            items.append((nil, try parseBitOr()))
            isDict = true
        } else {
            let first = try parseStarNamedExpression()
            if isOp(":") {
                advance()
                let v = try parseExpression()
                if isKw("for") || (isKw("async") && peek().text == "for") {
                    let gens = try parseComprehensions()
                    try expectOp("}")
                    return .dictComp(first, v, gens)
                }
                items.append((first, v))
                isDict = true
            } else {
                if isKw("for") || (isKw("async") && peek().text == "for") {
                    let gens = try parseComprehensions()
                    try expectOp("}")
                    return .setComp(first, gens)
                }
                elts.append(first)
                isDict = false
            }
        }
        while isOp(",") {
            advance()
            if isOp("}") { break }
            if isDict {
                if isOp("**") { advance(); items.append((nil, try parseBitOr())); continue }
                let k = try parseExpression()
                try expectOp(":")
                items.append((k, try parseExpression()))
            } else {
                elts.append(try parseStarNamedExpression())
            }
        }
        try expectOp("}")
        return isDict ? .dict(items) : .set(elts)
    }
}
