import Foundation
internal import SwiftParser
internal import SwiftSyntax

/// Extracts functions, methods, initializers, subscripts and types from Swift source via SwiftSyntax,
/// into the same `CodeSymbol`/`CodeCall` shapes as Python.
package struct SwiftExtractor: Sendable {
    package static let ignoredCallees: Set<String> = ["print", "debugPrint", "precondition", "assert", "fatalError", "min", "max"]

    package init() {}

    /// Analyses `source`; throws `CodeParseError` when it is not UTF-8 or SwiftParser reports errors.
    package func extract(source: Data, path: String) throws(CodeParseError) -> CodeFileAnalysis {
        // SwiftParser and the visitor recurse; keep them off small caller stacks.
        let result = LargeStackRunner.run { () -> Result<CodeFileAnalysis, CodeParseError> in
            do throws(CodeParseError) {
                return .success(try extractInline(source: source, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    func extractInline(source: Data, path: String) throws(CodeParseError) -> CodeFileAnalysis {
        guard let text = String(data: source, encoding: .utf8) else {
            throw .encoding(path: path, message: "not valid UTF-8")
        }
        let tree = Parser.parse(source: text)
        let converter = SourceLocationConverter(fileName: path, tree: tree)
        if tree.hasError {
            var line = 1, column = 1
            for token in tree.tokens(viewMode: .all) where token.presence == .missing || token.parent?.is(UnexpectedNodesSyntax.self) == true {
                let loc = converter.location(for: token.positionAfterSkippingLeadingTrivia)
                line = loc.line; column = loc.column
                break
            }
            throw .syntax(path: path, line: line, column: column, message: "Swift source does not parse")
        }
        let visitor = SwiftSymbolVisitor(converter: converter)
        visitor.walk(tree)
        let typeNames = Set(visitor.symbols.filter { [.class, .struct, .enum, .actor].contains($0.kind) }.map(\.qualifiedName))
        let calls = visitor.rawCalls.compactMap { raw -> CodeCall? in
            var c = raw
            if c.resolution == .direct, typeNames.contains(c.calleeName) { c.calleeResolved = c.calleeName + ".init" }
            return SwiftExtractor.ignoredCallees.contains(c.calleeName) ? nil : c
        }
        return CodeFileAnalysis(path: path, language: .swift, symbols: visitor.symbols, calls: calls, imports: visitor.imports)
    }
}

/// Walks declarations keeping a scope stack; records symbols on the way down and calls inside bodies.
final class SwiftSymbolVisitor: SyntaxVisitor {
    struct Scope { var name: String; var qualified: String; var isType: Bool }

    let converter: SourceLocationConverter
    var scopes: [Scope] = []
    var symbols: [CodeSymbol] = []
    var rawCalls: [CodeCall] = []
    var imports: [CodeImport] = []

    init(converter: SourceLocationConverter) {
        self.converter = converter
        super.init(viewMode: .sourceAccurate)
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    func line(_ p: AbsolutePosition) -> Int { converter.location(for: p).line }

    func docFirstLine(_ trivia: Trivia) -> String? {
        var lines: [String] = []
        for piece in trivia {
            switch piece {
            case .docLineComment(let t):
                lines.append(String(t.dropFirst(3)))
            case .docBlockComment(let t):
                var body = t.dropFirst(3)
                if body.hasSuffix("*/") { body = body.dropLast(2) }
                for l in body.split(separator: "\n", omittingEmptySubsequences: false) {
                    var s = l.trimmingCharacters(in: .whitespaces)
                    if s.hasPrefix("*") { s.removeFirst() }
                    lines.append(s)
                }
            case .lineComment, .blockComment:
                lines.removeAll()
            default: break
            }
        }
        return lines.map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    func hash(_ node: some SyntaxProtocol) -> String {
        var h = StableHash()
        for t in node.tokens(viewMode: .sourceAccurate) { h.combine(t.text) }
        return String(h.hex.prefix(12))
    }

    func attributes(_ list: AttributeListSyntax) -> [String] {
        list.map { el in
            var s = SwiftSymbolVisitor.collapse(el.trimmedDescription)
            if s.hasPrefix("@") { s.removeFirst() }
            return s
        }
    }

    var qualifiedPrefix: String { scopes.last.map { $0.qualified + "." } ?? "" }
    var parentType: String? { (scopes.last?.isType ?? false) ? scopes.last?.name : nil }
    var caller: String { scopes.last?.qualified ?? CodeCall.moduleCaller }
    var currentType: String? { scopes.last(where: { $0.isType })?.qualified }

    func add(
        _ node: some DeclSyntaxProtocol, name: String, kind: SymbolKind, signature: String,
        attributes attrs: AttributeListSyntax, keyword: TokenSyntax, isType: Bool
    ) {
        symbols.append(
            CodeSymbol(
                qualifiedName: qualifiedPrefix + name, kind: kind, parentClass: parentType,
                signature: SwiftSymbolVisitor.collapse(signature), decorators: attributes(attrs),
                docstring: docFirstLine(node.leadingTrivia),
                lineStart: line(keyword.positionAfterSkippingLeadingTrivia),
                lineEnd: line(node.endPositionBeforeTrailingTrivia), bodyHash: hash(node)))
        scopes.append(Scope(name: name, qualified: qualifiedPrefix + name, isType: isType))
    }

    func typeSignature(_ name: String, _ generics: GenericParameterClauseSyntax?, _ inherit: InheritanceClauseSyntax?) -> String {
        name + (generics?.trimmedDescription ?? "") + (inherit?.trimmedDescription ?? "")
    }

    override func visit(_ node: ImportDeclSyntax) -> SyntaxVisitorContinueKind {
        let module = node.path.map(\.name.text).joined(separator: ".")
        imports.append(
            CodeImport(
                module: module, level: 0, name: nil, alias: nil,
                lineNumber: line(node.positionAfterSkippingLeadingTrivia), depth: scopes.count))
        return .skipChildren
    }

    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind {
        add(
            node, name: node.name.text, kind: .struct, signature: typeSignature(node.name.text, node.genericParameterClause, node.inheritanceClause),
            attributes: node.attributes, keyword: node.structKeyword, isType: true)
        return .visitChildren
    }
    override func visitPost(_ node: StructDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind {
        add(
            node, name: node.name.text, kind: .class, signature: typeSignature(node.name.text, node.genericParameterClause, node.inheritanceClause),
            attributes: node.attributes, keyword: node.classKeyword, isType: true)
        return .visitChildren
    }
    override func visitPost(_ node: ClassDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind {
        add(
            node, name: node.name.text, kind: .enum, signature: typeSignature(node.name.text, node.genericParameterClause, node.inheritanceClause),
            attributes: node.attributes, keyword: node.enumKeyword, isType: true)
        return .visitChildren
    }
    override func visitPost(_ node: EnumDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind {
        add(
            node, name: node.name.text, kind: .actor, signature: typeSignature(node.name.text, node.genericParameterClause, node.inheritanceClause),
            attributes: node.attributes, keyword: node.actorKeyword, isType: true)
        return .visitChildren
    }
    override func visitPost(_ node: ActorDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind {
        add(
            node, name: node.name.text, kind: .protocol, signature: typeSignature(node.name.text, nil, node.inheritanceClause),
            attributes: node.attributes, keyword: node.protocolKeyword, isType: true)
        return .visitChildren
    }
    override func visitPost(_ node: ProtocolDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
        let name = node.extendedType.trimmedDescription
        let sig = name + (node.inheritanceClause?.trimmedDescription ?? "") + (node.genericWhereClause.map { " " + $0.trimmedDescription } ?? "")
        add(node, name: name, kind: .extension, signature: sig, attributes: node.attributes, keyword: node.extensionKeyword, isType: true)
        return .visitChildren
    }
    override func visitPost(_ node: ExtensionDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        let isAsync = node.signature.effectSpecifiers?.asyncSpecifier != nil
        let inType = scopes.last?.isType ?? false
        let kind: SymbolKind = inType ? (isAsync ? .asyncMethod : .method) : (isAsync ? .asyncFunction : .function)
        let sig =
            node.name.text + (node.genericParameterClause?.trimmedDescription ?? "") + node.signature.trimmedDescription
            + (node.genericWhereClause.map { " " + $0.trimmedDescription } ?? "")
        add(node, name: node.name.text, kind: kind, signature: sig, attributes: node.attributes, keyword: node.funcKeyword, isType: false)
        return .visitChildren
    }
    override func visitPost(_ node: FunctionDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind {
        let sig =
            "init" + (node.optionalMark?.text ?? "") + (node.genericParameterClause?.trimmedDescription ?? "") + node.signature.trimmedDescription
        add(node, name: "init", kind: .initializer, signature: sig, attributes: node.attributes, keyword: node.initKeyword, isType: false)
        return .visitChildren
    }
    override func visitPost(_ node: InitializerDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: SubscriptDeclSyntax) -> SyntaxVisitorContinueKind {
        let sig =
            "subscript" + (node.genericParameterClause?.trimmedDescription ?? "") + node.parameterClause.trimmedDescription
            + " " + node.returnClause.trimmedDescription
        add(node, name: "subscript", kind: .subscript, signature: sig, attributes: node.attributes, keyword: node.subscriptKeyword, isType: false)
        return .visitChildren
    }
    override func visitPost(_ node: SubscriptDeclSyntax) { scopes.removeLast() }

    override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
        let callLine = line(node.positionAfterSkippingLeadingTrivia)
        let callee = node.calledExpression
        var name: String
        var resolved: String?
        var resolution: CallResolution
        if let ref = callee.as(DeclReferenceExprSyntax.self) {
            name = ref.baseName.text
            resolved = name
            resolution = .direct
        } else if let member = callee.as(MemberAccessExprSyntax.self), let base = member.base {
            let method = member.declName.baseName.text
            if let ref = base.as(DeclReferenceExprSyntax.self) {
                let obj = ref.baseName.text
                name = "\(obj).\(method)()"
                if obj == "self" || obj == "Self" {
                    resolved = currentType.map { "\($0).\(method)" }
                    resolution = .selfMethod
                } else if base.is(SuperExprSyntax.self) {
                    resolved = nil; resolution = .unresolved
                } else {
                    resolved = "\(obj).\(method)"
                    resolution = .direct
                }
            } else {
                name = SwiftSymbolVisitor.collapse(callee.trimmedDescription) + "()"
                resolved = nil
                resolution = .unresolved
            }
        } else {
            name = SwiftSymbolVisitor.collapse(callee.trimmedDescription) + "()"
            resolved = nil
            resolution = .unresolved
        }
        rawCalls.append(
            CodeCall(
                callerName: caller, calleeName: name, calleeResolved: resolved,
                resolution: resolution, lineNumber: callLine))
        return .visitChildren
    }
}
