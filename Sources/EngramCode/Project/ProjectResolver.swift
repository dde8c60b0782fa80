import Foundation

/// Resolves Python calls across the files of one project: module paths from file paths,
/// `import a.b as c`, relative `from .x import y`, package `__init__` re-exports, class
/// instantiation to `__init__`, and `self`/`cls`/`super()` through the project's class hierarchy.
/// Modules not given up front are read from disk under `root` on first use.
package struct ProjectResolver: Sendable {
    /// What a dotted name denotes inside the project.
    enum Target: Equatable {
        case module(String)
        case symbol(module: String, qualified: String, kind: SymbolKind)
        case external(String)

        var fullName: String {
            switch self {
            case .module(let m): return m
            case let .symbol(m, q, _): return m.isEmpty ? q : m + "." + q
            case .external(let s): return s
            }
        }
    }

    struct Module {
        var name: String
        var isPackage: Bool
        var analysis: CodeFileAnalysis
        var symbols: [String: SymbolKind]
        /// Imports in the order the seed's map applies them (deeper and later win).
        var orderedImports: [CodeImport]

        init(name: String, isPackage: Bool, analysis: CodeFileAnalysis, symbols: [String: SymbolKind]) {
            self.name = name
            self.isPackage = isPackage
            self.analysis = analysis
            self.symbols = symbols
            self.orderedImports = analysis.imports.enumerated()
                .sorted { ($0.element.depth, $0.offset) < ($1.element.depth, $1.offset) }.map(\.element)
        }
    }

    package let root: URL
    /// Keep calls to builtins, the standard library and dependencies (off: the project graph only).
    package var includeExternal: Bool
    private var byPath: [String: CodeFileAnalysis]
    private var modules: [String: Module?] = [:]
    private let extractor = PythonExtractor()

    /// - Parameters:
    ///   - root: project root on disk (modules are looked up under it and under `root/src`).
    ///   - files: already analysed files keyed by path relative to `root`; others load lazily.
    ///   - includeExternal: also report calls that leave the project (`engram code calls --external`).
    package init(root: URL, files: [CodeFileAnalysis] = [], includeExternal: Bool = false) {
        self.root = root
        self.includeExternal = includeExternal
        var map: [String: CodeFileAnalysis] = [:]
        for f in files { map[f.path] = f }
        self.byPath = map
    }

    // MARK: module names

    private func exists(_ relative: String) -> Bool {
        byPath[relative] != nil || FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path)
    }

    /// Dotted module name for a root-relative path: package directories are those with `__init__.py`.
    package func moduleName(forPath relative: String) -> String {
        var parts = relative.split(separator: "/").map(String.init)
        guard var last = parts.popLast() else { return "" }
        if last.hasSuffix(".py") { last.removeLast(3) }
        var names: [String] = last == "__init__" ? [] : [last]
        while !parts.isEmpty, exists((parts + ["__init__.py"]).joined(separator: "/")) {
            names.insert(parts.removeLast(), at: 0)
        }
        return names.joined(separator: ".")
    }

    private func candidatePaths(_ module: String) -> [String] {
        let rel = module.replacingOccurrences(of: ".", with: "/")
        var out: [String] = []
        for prefix in ["", "src/"] {
            out.append(prefix + rel + ".py")
            out.append(prefix + rel + "/__init__.py")
        }
        return out
    }

    private mutating func module(_ name: String) -> Module? {
        if let cached = modules[name] { return cached }
        var found: Module?
        for path in candidatePaths(name) where exists(path) {
            var analysis = byPath[path]
            if analysis == nil, let data = try? Data(contentsOf: root.appendingPathComponent(path)) {
                analysis = try? extractor.extract(source: data, path: path)
                if let analysis { byPath[path] = analysis }
            }
            if let analysis {
                var symbols: [String: SymbolKind] = [:]
                for s in analysis.symbols where symbols[s.qualifiedName] == nil { symbols[s.qualifiedName] = s.kind }
                found = Module(name: name, isPackage: path.hasSuffix("__init__.py"), analysis: analysis, symbols: symbols)
                break
            }
        }
        modules[name] = found
        return found
    }

    // MARK: bindings and symbols

    /// Absolute module for an import inside `current` (relative levels count from its package).
    func absoluteModule(_ imp: CodeImport, in current: String, isPackage: Bool) -> String {
        guard imp.level > 0 else { return imp.module ?? "" }
        var base = current.split(separator: ".").map(String.init)
        if !isPackage, !base.isEmpty { base.removeLast() }
        base.removeLast(min(base.count, imp.level - 1))
        if let m = imp.module { base.append(m) }
        return base.joined(separator: ".")
    }

    /// Dotted target of a name bound by an import in `module`, nil when not imported.
    mutating func importBinding(_ name: String, in mod: Module) -> String? {
        var result: String?
        for imp in mod.orderedImports {
            let abs = absoluteModule(imp, in: mod.name, isPackage: mod.isPackage)
            if let n = imp.name {
                if n == "*" {
                    if result == nil, abs != mod.name, let other = module(abs), other.symbols[name] != nil { result = abs + "." + name }
                    continue
                }
                if (imp.alias ?? n) == name { result = abs + "." + n }
            } else if let m = imp.module {
                if let alias = imp.alias {
                    if alias == name { result = m }
                } else if m.split(separator: ".").first.map(String.init) == name {
                    result = name
                }
            }
        }
        return result
    }

    /// Resolves a dotted name to a project module/symbol, following re-exports.
    mutating func resolveDotted(_ dotted: String, depth: Int = 0) -> Target {
        if depth > 12 { return .external(dotted) }
        let parts = dotted.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { return .external(dotted) }
        // Longest prefix that is a project module.
        var k = parts.count
        while k > 0 {
            let modName = parts[..<k].joined(separator: ".")
            if let mod = module(modName) {
                if k == parts.count { return .module(modName) }
                let rest = Array(parts[k...])
                // Longest qualified symbol inside the module.
                var j = rest.count
                while j > 0 {
                    let q = rest[..<j].joined(separator: ".")
                    if let kind = mod.symbols[q] {
                        if j == rest.count { return .symbol(module: modName, qualified: q, kind: kind) }
                        if kind == .class, let m = lookupMethod(.symbol(module: modName, qualified: q, kind: kind), rest[j]) {
                            return j + 1 == rest.count ? m : .external(dotted)
                        }
                        return .external(dotted)
                    }
                    j -= 1
                }
                if let target = importBinding(rest[0], in: mod) {
                    return resolveDotted(([target] + rest.dropFirst()).joined(separator: "."), depth: depth + 1)
                }
                return .external(dotted)
            }
            k -= 1
        }
        return .external(dotted)
    }

    /// Finds `method` on a class or its project bases (depth-first, like a simple MRO).
    mutating func lookupMethod(_ cls: Target, _ method: String, seen: Set<String> = []) -> Target? {
        guard case let .symbol(modName, qual, .class) = cls, !seen.contains(cls.fullName), let mod = module(modName) else { return nil }
        let q = qual + "." + method
        if let kind = mod.symbols[q] { return .symbol(module: modName, qualified: q, kind: kind) }
        var seen = seen
        seen.insert(cls.fullName)
        for base in mod.analysis.classBases[qual] ?? [] where !base.contains("=") {
            let target = resolveName(base, in: mod, scope: nil)
            if let found = lookupMethod(target, method, seen: seen) { return found }
        }
        return nil
    }

    /// Resolves a (possibly dotted) name as seen from module-level code of `mod`.
    mutating func resolveName(_ dotted: String, in mod: Module, scope: String?) -> Target {
        let parts = dotted.split(separator: ".").map(String.init)
        guard let head = parts.first else { return .external(dotted) }
        // Enclosing function scopes first (nested defs), then module level.
        if let scope {
            var prefix = scope.split(separator: ".").map(String.init)
            while !prefix.isEmpty {
                let q = (prefix + parts).joined(separator: ".")
                if let kind = mod.symbols[q], mod.symbols[prefix.joined(separator: ".")] != .class {
                    return .symbol(module: mod.name, qualified: q, kind: kind)
                }
                prefix.removeLast()
            }
        }
        if mod.symbols[head] != nil {
            return resolveDotted(([mod.name] + parts).joined(separator: "."))
        }
        if let target = importBinding(head, in: mod) {
            return resolveDotted(([target] + parts.dropFirst()).joined(separator: "."))
        }
        return .external(dotted)
    }

    /// Innermost class enclosing a caller's qualified name.
    func enclosingClass(_ caller: String, in mod: Module) -> Target? {
        var parts = caller.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            let q = parts.joined(separator: ".")
            if mod.symbols[q] == .class { return .symbol(module: mod.name, qualified: q, kind: .class) }
            parts.removeLast()
        }
        return nil
    }

    /// A class used as a callee resolves to its `__init__` when the project defines one.
    mutating func instantiate(_ t: Target) -> Target {
        if case .symbol(_, _, .class) = t, let i = lookupMethod(t, "__init__") { return i }
        return t
    }

    // MARK: calls

    /// Calls of `analysis` with project-wide resolution; names are module-qualified. Values are
    /// followed through the modules this file imports (directly or not).
    package mutating func resolveCalls(of analysis: CodeFileAnalysis) -> [CodeCall] {
        resolveCalls(ofProject: [analysis])[0]
    }

    /// Calls of every file of a project, resolved together (values flow between all of them and the
    /// project modules they import), in the order given.
    package mutating func resolveCalls(ofProject analyses: [CodeFileAnalysis]) -> [[CodeCall]] {
        var targets: [(Int, Module)] = []
        for (i, a) in analyses.enumerated() where a.language == .python {
            byPath[a.path] = a
            let name = moduleName(forPath: a.path)
            modules.removeValue(forKey: name) // re-read from the (possibly newer) analysis
            if let mod = module(name) ?? fallbackModule(name, a) { targets.append((i, mod)) }
        }
        var out = analyses.map(\.calls)
        var flow = ValueFlow()
        var queue: [Module] = []
        var added = Set<String>()
        func enqueue(_ m: Module) { if added.insert(m.name).inserted { queue.append(m) } }
        for (_, m) in targets { enqueue(m) }
        var head = 0
        while head < queue.count {
            let m = queue[head]
            head += 1
            let abs = m.analysis.imports.map { absoluteModule($0, in: m.name, isPackage: m.isPackage) }
            if let unit = m.analysis.flow.unit {
                flow.add(module: m.name, isPackage: m.isPackage, unit: unit, imports: m.analysis.imports, importModules: abs)
            }
            guard queue.count < Self.maxFlowModules else { continue }
            for (imp, a) in zip(m.analysis.imports, abs) {
                var candidates: [String] = []
                if imp.name == nil {
                    var prefix: [Substring] = []
                    for part in a.split(separator: ".") { prefix.append(part); candidates.append(prefix.joined(separator: ".")) }
                } else {
                    candidates.append(a)
                    if let n = imp.name, n != "*" { candidates.append(a.isEmpty ? n : a + "." + n) }
                }
                for c in candidates where !added.contains(c) && !c.isEmpty {
                    if let other = module(c) { enqueue(other) }
                }
            }
        }
        flow.solve()
        for (i, mod) in targets {
            guard let index = flow.moduleIndex[mod.name], let unit = mod.analysis.flow.unit else {
                out[i] = analyses[i].calls.map { resolve($0, in: mod) }
                continue
            }
            out[i] = calls(of: mod, unit: unit, module: index, flow: &flow)
        }
        return out
    }

    /// Most modules one resolution reads (the files asked for and what they import).
    static let maxFlowModules = 4000

    /// Resolution without value flow (imports, hierarchy, `self`): the figures before value flow, for comparison.
    mutating func resolveCallsWithoutValueFlow(of analysis: CodeFileAnalysis) -> [CodeCall] {
        guard analysis.language == .python else { return analysis.calls }
        byPath[analysis.path] = analysis
        let name = moduleName(forPath: analysis.path)
        modules.removeValue(forKey: name)
        guard let mod = module(name) ?? fallbackModule(name, analysis) else { return analysis.calls }
        return analysis.calls.map { resolve($0, in: mod) }
    }

    /// The module's call edges from the solved flow, with the per-call resolution as a cross-check for the kind.
    private mutating func calls(of mod: Module, unit: PyFlowUnit, module m: Int32, flow: inout ValueFlow) -> [CodeCall] {
        let importMap = PythonExtractor.seedImportMap(mod.analysis.imports)
        let base = flow.modules[Int(m)].base
        var out: [CodeCall] = []
        var seen = Set<String>()
        func emit(_ c: CodeCall) {
            if seen.insert("\(c.callerName)|\(c.calleeName)|\(c.calleeResolved ?? "")|\(c.lineNumber)").inserted { out.append(c) }
        }
        let imported = Set(mod.analysis.imports.map(\.boundName))
        for (i, site) in unit.sites.enumerated() {
            let text = PythonExtractor.seedResolve(site.function, currentClass: site.currentClass, importMap: importMap).0
            if PythonExtractor.ignoredCallees.contains(text) { continue }
            let line = Int(site.line)
            let values = flow.callee(of: site, base: base, literalOwner: ValueFlow.owner(module: Int(m), site: i))
            if values.isEmpty {
                // Nothing known flows here (a parameter no project call fills, an attribute never set): unresolved, not guessed.
                emit(CodeCall(callerName: site.caller, calleeName: text, calleeResolved: nil, resolution: .unresolved, lineNumber: line))
                continue
            }
            for t in flow.targets(of: values) {
                switch t.kind {
                case .project(let f):
                    let name = flow.fullName(f)
                    emit(
                        CodeCall(
                            callerName: site.caller, calleeName: text, calleeResolved: name,
                            resolution: Self.kind(site.function, target: name, imported: imported), lineNumber: line))
                case .external(let e):
                    guard includeExternal else { continue }
                    let name = flow.externals[Int(e)]
                    let kind = Self.kind(site.function, target: name, imported: imported)
                    emit(
                        CodeCall(
                            callerName: site.caller, calleeName: text, calleeResolved: name,
                            resolution: kind == .value || kind == .selfMethod ? kind : (name.contains(".") ? .import : .direct), lineNumber: line))
                }
            }
        }
        // Calls no parenthesis shows: decorators applied at definition, `with` entering and leaving.
        for (i, fact) in unit.facts.enumerated() {
            switch fact {
            case let .define(scope, outer):
                let sc = flow.scopes[Int(base + scope)]
                for dec in sc.decorators {
                    flow.literalOwner = ValueFlow.owner(module: Int(m), fact: i)
                    flow.literalCounter = 0
                    let values = flow.eval(dec, base + outer)
                    for t in flow.targets(of: values) {
                        guard case .project(let f) = t.kind else { continue }
                        emit(
                            CodeCall(
                                callerName: callerName(flow, base + outer), calleeName: "@" + PyUnparser.unparse(dec),
                                calleeResolved: flow.fullName(f), resolution: .value, lineNumber: Int(sc.line)))
                    }
                }
            case let .with(e, _, scope, line):
                flow.literalOwner = ValueFlow.owner(module: Int(m), fact: i)
                flow.literalCounter = 0
                for v in flow.eval(e, base + scope) {
                    guard case .instance(let c) = v else { continue }
                    for method in ["__enter__", "__exit__"] {
                        guard let f = flow.dunder(c, method) else { continue }
                        emit(
                            CodeCall(
                                callerName: callerName(flow, base + scope), calleeName: PyUnparser.unparse(e) + "." + method + "()",
                                calleeResolved: flow.fullName(f), resolution: .value, lineNumber: Int(line)))
                    }
                }
            default:
                break
            }
        }
        return out.enumerated().sorted { ($0.element.lineNumber, $0.offset) < ($1.element.lineNumber, $1.offset) }.map(\.element)
    }

    /// The kind a reader expects from the call's shape: `f()` naming the definition is direct, a chain from an
    /// imported name is import, `self.m()`/`cls.m()`/`super().m()` is self_method; anything else needed value flow.
    static func kind(_ f: PyExpr, target: String, imported: Set<String>) -> CallResolution {
        switch f {
        case .name(let n):
            if imported.contains(n) { return .import }
            let parts = target.split(separator: ".")
            if parts.last.map(String.init) == n { return .direct }
            if parts.count >= 2, parts.last == "__init__", String(parts[parts.count - 2]) == n { return .direct }
            return .value
        case let .attribute(base, _):
            switch base {
            case .name("self"), .name("cls"): return .selfMethod
            case .call(.name("super"), _, _): return .selfMethod
            default: break
            }
            var head = base
            while case let .attribute(inner, _) = head { head = inner }
            if case .name(let n) = head, imported.contains(n) { return .import }
            return .value
        default:
            return .value
        }
    }

    /// `CodeCall.callerName` of code running in a flow scope (a lambda's calls belong to its definition).
    private func callerName(_ flow: ValueFlow, _ s: Int32) -> String {
        let q = flow.scopes[Int(s)].qualified
        return q.isEmpty ? CodeCall.moduleCaller : q
    }

    /// Resolves calls of the file at `relativePath`, reading it from disk.
    package mutating func resolveCalls(ofFileAt relativePath: String) throws -> [CodeCall] {
        let data = try Data(contentsOf: root.appendingPathComponent(relativePath))
        return resolveCalls(of: try extractor.extract(source: data, path: relativePath))
    }

    private mutating func fallbackModule(_ name: String, _ analysis: CodeFileAnalysis) -> Module? {
        var symbols: [String: SymbolKind] = [:]
        for s in analysis.symbols where symbols[s.qualifiedName] == nil { symbols[s.qualifiedName] = s.kind }
        let m = Module(name: name, isPackage: analysis.path.hasSuffix("__init__.py"), analysis: analysis, symbols: symbols)
        modules[name] = m
        return m
    }

    mutating func resolve(_ call: CodeCall, in mod: Module) -> CodeCall {
        var out = call
        let scope = call.callerName == CodeCall.moduleCaller ? nil : call.callerName
        func set(_ t: Target?, _ kind: CallResolution) {
            guard let t, case .symbol = t else {
                if case .module? = t { out.calleeResolved = t?.fullName; out.resolution = kind; return }
                out.calleeResolved = nil; out.resolution = .unresolved; return
            }
            out.calleeResolved = t.fullName
            out.resolution = kind
        }
        var text = call.calleeName
        let isAttributeForm = text.hasSuffix("()")
        if isAttributeForm { text.removeLast(2) }
        if text.hasPrefix("super()."), let cls = scope.flatMap({ enclosingClass($0, in: mod) }) {
            let method = String(text.dropFirst("super().".count))
            guard case let .symbol(_, qual, _) = cls else { return out }
            for base in mod.analysis.classBases[qual] ?? [] where !base.contains("=") {
                if let m = lookupMethod(resolveName(base, in: mod, scope: nil), method) { set(m, .selfMethod); return out }
            }
            set(nil, .unresolved)
            return out
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            set(nil, .unresolved)
            return out
        }
        if parts.count == 2, parts[0] == "self" || parts[0] == "cls", let cls = scope.flatMap({ enclosingClass($0, in: mod) }) {
            let m = lookupMethod(cls, parts[1])
            out.calleeResolved = (m ?? .external(cls.fullName + "." + parts[1])).fullName
            out.resolution = .selfMethod
            return out
        }
        let target = resolveName(text, in: mod, scope: scope)
        let head = parts[0]
        let viaImport = mod.symbols[head] == nil && importBinding(head, in: mod) != nil
        switch target {
        case .symbol:
            set(instantiate(target), viaImport ? .import : .direct)
        case .module:
            set(target, .import)
        case .external:
            if viaImport, let binding = importBinding(head, in: mod) {
                // Outside the project (stdlib or a dependency): keep the imported dotted name.
                out.calleeResolved = ([binding] + parts.dropFirst()).joined(separator: ".")
                out.resolution = .import
            } else {
                set(nil, .unresolved)
            }
        }
        return out
    }
}
