import Foundation

/// Flow-insensitive value flow over the Python modules of a project: what each name, attribute,
/// container element, parameter and return value may hold (functions, classes, instances of project
/// classes, modules, containers, outside names), propagated to a fixed point with a bound, then read
/// back per call site as the definitions a call may reach.
struct ValueFlow {
    /// An abstract value. Scope ids are global (module base + the file's scope index).
    enum Value: Hashable {
        case function(Int32)
        case cls(Int32)
        case instance(Int32)
        /// Method `function` bound to an instance of `cls` (or to the class itself for a classmethod).
        case boundInstance(Int32, Int32)
        case boundClass(Int32, Int32)
        case module(Int32)
        /// A list, tuple, set, dict or generator: its elements live under the key.
        case container(Int32)
        /// Something outside the project (a builtin, the standard library, a dependency), by dotted name id.
        case external(Int32)
        /// `super()` inside the class with this scope id.
        case superOf(Int32)
    }

    enum Key: Hashable {
        case variable(Int32, String)
        case returns(Int32)
        case yields(Int32)
        case varargs(Int32)
        case kwargs(Int32)
        /// A container literal: the statement or call site that evaluates it, and its order there.
        case literal(Int32, Int32)
    }

    struct FlowModule {
        var name: String
        var isPackage: Bool
        var unit: PyFlowUnit
        var base: Int32
        /// Absolute module of each import (relative levels applied).
        var importModules: [String]
    }

    /// A call target worked out for one call site.
    struct Target: Hashable {
        enum Kind: Hashable { case project(Int32), external(Int32) }
        var kind: Kind
    }

    static let maxValuesPerKey = 48
    static let maxRounds = 12
    static let maxDepth = 24

    var modules: [FlowModule] = []
    var moduleIndex: [String: Int32] = [:]
    var scopes: [PyFlowScope] = []
    var scopeModule: [Int32] = []
    var keyIndex: [Key: Int32] = [:]
    var values: [Set<Value>] = []
    var externals: [String] = []
    var externalIndex: [String: Int32] = [:]
    /// Outside names already derived by a call or subscript: anything taken from them is one anonymous value.
    var externalIsDeep: [Bool] = []
    var derivedCache: [DerivedKey: Int32] = [:]
    /// What calling an outside name does to values (see `role`), by external id.
    var externalRole: [Role] = []

    enum Role: UInt8 { case none, partial, passThrough, next, getattr, superCall, containerMethod }

    static func role(_ name: String) -> Role {
        if name == "functools.partial" || name == "partial" { return .partial }
        if passThrough.contains(name) { return .passThrough }
        if name == "next" { return .next }
        if name == "getattr" { return .getattr }
        if name == "super" { return .superCall }
        if name.hasPrefix("<container>.") { return .containerMethod }
        return .none
    }
    var lookupCache: [Key: Int32] = [:]
    /// MRO per class with the keys its bases were read from (added to the reads of whoever uses it).
    var mroCache: [Int32: (order: [Int32], reads: [Int32])] = [:]
    var mroInputs = Set<Int32>()
    // Worklist: a work item is a fact or a call site; it re-runs when a key it read grows.
    var readLog: [Int32] = []
    var dependents: [[Int32]] = []
    var dependentStamp: [Int32] = []
    var queue: [Int32] = []
    var queued: [Bool] = []
    /// Work item kinds: 0 a fact, 1 a call site, 2 an import.
    var work: [(module: Int32, index: Int32, kind: UInt8)] = []
    var evaluations = 0
    var hasOutsideBase: Set<Int32> = []
    var changes = 0
    var literalOwner: Int32 = 0
    var literalCounter: Int32 = 0
    var depth = 0
    var rounds = 0

    // MARK: building

    mutating func add(module name: String, isPackage: Bool, unit: PyFlowUnit, imports: [CodeImport], importModules: [String]) {
        guard moduleIndex[name] == nil else { return }
        let base = Int32(scopes.count)
        let index = Int32(modules.count)
        modules.append(FlowModule(name: name, isPackage: isPackage, unit: unit, base: base, importModules: importModules))
        moduleIndex[name] = index
        importsOf[index] = imports
        let stars = Set(imports.indices.filter { imports[$0].name == "*" })
        if !stars.isEmpty { starImports[index] = stars }
        for var s in unit.scopes {
            if s.parent >= 0 { s.parent += base }
            scopes.append(s)
            scopeModule.append(index)
        }
    }

    func isDecorated(_ scope: Int32, _ name: String) -> Bool {
        scopes[Int(scope)].decorators.contains { d in
            if case .name(let n) = d { return n == name }
            if case .attribute(_, let n) = d { return n == name }
            return false
        }
    }

    /// Functions that only ever return one of their parameters unchanged (`return func` in a registering
    /// decorator, an identity helper), by parameter index: a call returns what that call passed, not
    /// everything any call passed, which keeps `@register def a` and `@register def b` apart.
    var passthrough: [Int32: Int] = [:]

    mutating func findPassthrough() {
        var returned: [Int32: Set<String>] = [:]
        var other = Set<Int32>()
        var assigned: [Int32: Set<String>] = [:]
        for m in modules {
            for fact in m.unit.facts {
                switch fact {
                case let .ret(e, scope):
                    let s = m.base + scope
                    if case .name(let n) = e { returned[s, default: []].insert(n) } else { other.insert(s) }
                case let .assign(targets, _, scope):
                    for t in targets { if case .name(let n) = t { assigned[m.base + scope, default: []].insert(n) } }
                default: break
                }
            }
        }
        for (s, names) in returned where names.count == 1 && !other.contains(s) && !scopes[Int(s)].isGenerator {
            guard let n = names.first, let params = scopes[Int(s)].params, !(assigned[s]?.contains(n) ?? false),
                let i = (params.posOnly + params.args).firstIndex(where: { $0.name == n })
            else { continue }
            passthrough[s] = i
        }
    }

    /// What a passthrough function returns for these arguments, nil when `callee` is not one.
    func passthroughResult(_ callee: Value, _ positional: [Set<Value>]) -> Set<Value>? {
        let f: Int32, offset: Int
        switch callee {
        case .function(let x): f = x; offset = 0
        case .boundInstance(let x, _), .boundClass(let x, _): f = x; offset = 1
        default: return nil
        }
        guard let i = passthrough[f], i - offset >= 0, i - offset < positional.count else { return nil }
        return positional[i - offset]
    }

    /// Seeds what holds before any statement runs: `*args`/`**kwargs` containers.
    mutating func seed() {
        for i in scopes.indices {
            let s = scopes[i]
            let id = Int32(i)
            guard s.kind == .function || s.kind == .lambda, let params = s.params else { continue }
            if let v = params.vararg { insert(.variable(id, v.name), [.container(key(.varargs(id)))]) }
            if let k = params.kwarg { insert(.variable(id, k.name), [.container(key(.kwargs(id)))]) }
        }
    }

    /// `self` (or `cls`) of methods no project call reached: an instance of the defining class, as a
    /// framework or a caller outside the project would pass. Seeded only after the first fixed point,
    /// so methods the project does call see only the receivers it passes (subclass instances included).
    mutating func seedReceivers() -> Bool {
        var added = false
        for i in scopes.indices {
            let s = scopes[i]
            let id = Int32(i)
            guard s.kind == .function, s.parent >= 0, scopes[Int(s.parent)].kind == .class, let params = s.params,
                let first = (params.posOnly + params.args).first, !isDecorated(id, "staticmethod")
            else { continue }
            let k = key(.variable(id, first.name))
            guard values[Int(k)].isEmpty else { continue }
            insert(k, [isDecorated(id, "classmethod") ? .cls(s.parent) : .instance(s.parent)])
            added = true
        }
        return added
    }

    // MARK: keys and values

    mutating func key(_ k: Key) -> Int32 {
        if let i = keyIndex[k] { return i }
        let i = Int32(values.count)
        values.append([])
        keyIndex[k] = i
        return i
    }

    mutating func external(_ name: String) -> Value {
        if let i = externalIndex[name] { return .external(i) }
        let i = Int32(externals.count)
        externals.append(name)
        externalIndex[name] = i
        externalIsDeep.append(name.utf8.first == UInt8(ascii: "<") || name.utf8.contains { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") })
        externalRole.append(Self.role(name))
        return .external(i)
    }

    /// An outside value derived from another (`e.attr`, `e()`, `e[]`): one level keeps its name for
    /// `--external`; deeper ones are one anonymous outside object, so chains like `x = x.next()` converge.
    mutating func derived(_ e: Int32, _ suffix: String) -> Value {
        if externalIsDeep[Int(e)] { return external("<outside object>") }
        let memo = DerivedKey(base: e, suffix: suffix)
        if let hit = derivedCache[memo] { return .external(hit) }
        let v = external(externals[Int(e)] + suffix)
        if case .external(let id) = v { derivedCache[memo] = id }
        return v
    }

    struct DerivedKey: Hashable {
        var base: Int32
        var suffix: String
    }

    mutating func insert(_ k: Key, _ vs: Set<Value>) { insert(key(k), vs) }

    mutating func insert(_ k: Int32, _ vs: Set<Value>) {
        guard !vs.isEmpty else { return }
        let i = Int(k)
        var grew = false
        for v in vs where values[i].count < Self.maxValuesPerKey {
            if values[i].insert(v).inserted { grew = true }
        }
        guard grew else { return }
        changes += 1
        if i < dependents.count {
            for w in dependents[i] where !queued[Int(w)] {
                queued[Int(w)] = true
                queue.append(w)
            }
        }
        if mroInputs.contains(k) {
            mroCache.removeAll(keepingCapacity: true)
            hasOutsideBase.removeAll(keepingCapacity: true)
        }
    }

    /// Reads a key for the statement being processed, which is then re-run whenever the key grows.
    mutating func get(_ k: Int32) -> Set<Value> {
        readLog.append(k)
        return values[Int(k)]
    }

    mutating func read(_ k: Key) -> Set<Value> { get(key(k)) }

    func moduleScope(_ s: Int32) -> Int32 { modules[Int(scopeModule[Int(s)])].base }

    /// Nearest enclosing def (or lambda) that binds `name`, for `nonlocal` and free names.
    func enclosingBinding(_ s: Int32, _ name: String) -> Int32? {
        var p = scopes[Int(s)].parent
        while p >= 0 {
            let sc = scopes[Int(p)]
            if sc.kind == .module { return nil }
            if sc.kind != .class, sc.locals.contains(name) {
                if sc.globals.contains(name) { return moduleScope(p) }
                return p
            }
            p = sc.parent
        }
        return nil
    }

    /// The key a store to `name` in scope `s` writes.
    mutating func storeKey(_ s: Int32, _ name: String) -> Int32 {
        let sc = scopes[Int(s)]
        if sc.globals.contains(name) { return key(.variable(moduleScope(s), name)) }
        if sc.nonlocals.contains(name), let e = enclosingBinding(s, name) { return key(.variable(e, name)) }
        return key(.variable(s, name))
    }

    /// The key a read of `name` in scope `s` sees, nil when the name is a builtin or unbound.
    mutating func loadKey(_ s: Int32, _ name: String) -> Int32? {
        let cacheKey = Key.variable(s, name)
        if let hit = lookupCache[cacheKey] { return hit < 0 ? nil : hit }
        var found: Int32?
        let sc = scopes[Int(s)]
        if sc.globals.contains(name) {
            found = scopes[Int(moduleScope(s))].locals.contains(name) ? key(.variable(moduleScope(s), name)) : nil
        } else if sc.nonlocals.contains(name) {
            found = enclosingBinding(s, name).map { key(.variable($0, name)) }
        } else if sc.locals.contains(name) {
            found = key(.variable(s, name))
        } else if let e = enclosingBinding(s, name) {
            found = key(.variable(e, name))
        } else {
            let m = moduleScope(s)
            if m != s, scopes[Int(m)].locals.contains(name) { found = key(.variable(m, name)) }
        }
        lookupCache[cacheKey] = found ?? -1
        return found
    }

    // MARK: classes

    /// Method resolution order of a project class: C3 where it applies, else depth-first, last occurrence kept.
    mutating func mro(_ c: Int32) -> [Int32] {
        if let m = mroCache[c] {
            readLog.append(contentsOf: m.reads)
            return m.order
        }
        mroCache[c] = ([c], []) // breaks cycles while computing
        let start = readLog.count
        let saved = (literalOwner, literalCounter)
        literalOwner = Int32.min + c
        literalCounter = 0
        defer { (literalOwner, literalCounter) = saved }
        var seq: [Int32] = []
        var outside = false
        let sc = scopes[Int(c)]
        for b in sc.bases {
            let vs = eval(b, sc.parent)
            var any = false
            for v in vs {
                if case .cls(let k) = v { seq.append(contentsOf: mro(k)); any = true; if hasOutsideBase.contains(k) { outside = true } }
            }
            if !any, !isObject(b) { outside = true }
        }
        var out: [Int32] = []
        for (i, k) in seq.enumerated() where !seq[(i + 1)...].contains(k) { out.append(k) }
        let result = [c] + out.filter { $0 != c }
        if outside { hasOutsideBase.insert(c) }
        let reads = Array(readLog[start...])
        for k in reads { mroInputs.insert(k) }
        mroCache[c] = (result, reads)
        return result
    }

    func isObject(_ e: PyExpr) -> Bool {
        if case .name("object") = e { return true }
        return false
    }

    /// Attribute `name` looked up along the MRO (after `after` when given, for `super()`).
    mutating func classAttribute(_ c: Int32, _ name: String, onInstance: Bool, receiver: Int32? = nil, skipFirst: Bool = false) -> Set<Value>? {
        var order = mro(c)
        if skipFirst { order.removeFirst() }
        let recv = receiver ?? c
        for k in order {
            let sc = scopes[Int(k)]
            let held = get(key(.variable(k, name)))
            guard sc.locals.contains(name) || !held.isEmpty else { continue }
            var out = Set<Value>()
            for v in held {
                if case .function(let f) = v, scopes[Int(f)].parent == k, scopes[Int(f)].kind == .function {
                    if isDecorated(f, "staticmethod") {
                        out.insert(v)
                    } else if isDecorated(f, "classmethod") {
                        out.insert(.boundClass(f, recv))
                    } else if onInstance {
                        out.insert(.boundInstance(f, recv))
                    } else {
                        out.insert(v)
                    }
                } else {
                    out.insert(v)
                }
            }
            return out
        }
        return nil
    }

    /// The project method a dunder call reaches on instances of `c` (`__init__`, `__enter__`, `__call__`…).
    mutating func dunder(_ c: Int32, _ name: String) -> Int32? {
        for v in classAttribute(c, name, onInstance: true) ?? [] {
            if case .boundInstance(let f, _) = v { return f }
            if case .function(let f) = v { return f }
        }
        return nil
    }

    func enclosingClass(_ s: Int32) -> Int32? {
        var p = s
        while p >= 0 {
            let sc = scopes[Int(p)]
            if sc.kind == .class { return p }
            p = sc.parent
        }
        return nil
    }

    // MARK: evaluation

    mutating func attribute(_ v: Value, _ name: String) -> Set<Value> {
        switch v {
        case .module(let m):
            return moduleAttribute(m, name, depth: 0)
        case .cls(let c):
            if let found = classAttribute(c, name, onInstance: false) { return found }
            return hasOutsideBase.contains(c) ? [external(fullName(c) + "." + name)] : []
        case .instance(let c):
            if let found = classAttribute(c, name, onInstance: true) { return found }
            return hasOutsideBase.contains(c) ? [external(fullName(c) + "." + name)] : []
        case .superOf(let c):
            if let found = classAttribute(c, name, onInstance: true, skipFirst: true) { return found }
            return [external("super()." + name)]
        case .external(let e):
            return [derived(e, "." + name)]
        case .container:
            return [external("<container>." + name)]
        case .function, .boundInstance, .boundClass:
            return []
        }
    }

    mutating func moduleAttribute(_ m: Int32, _ name: String, depth: Int) -> Set<Value> {
        let base = modules[Int(m)].base
        var out = read(.variable(base, name))
        if let sub = submodule(m, name) { out.insert(.module(sub)) }
        if out.isEmpty, depth < 4, let stars = starTargets[m], !scopes[Int(base)].locals.contains(name) {
            for other in stars where other != m { out.formUnion(moduleAttribute(other, name, depth: depth + 1)) }
        }
        return out
    }

    var submoduleCache: [Key: Int32] = [:]

    /// The project module `m.name`, if there is one (memoised: asked for every attribute of a module).
    mutating func submodule(_ m: Int32, _ name: String) -> Int32? {
        let k = Key.variable(m, name)
        if let hit = submoduleCache[k] { return hit < 0 ? nil : hit }
        let mod = modules[Int(m)]
        let found = moduleIndex[mod.name.isEmpty ? name : mod.name + "." + name]
        submoduleCache[k] = found ?? -1
        return found
    }

    /// Modules each module star-imports (`from x import *`), worked out once all modules are known.
    var starTargets: [Int32: [Int32]] = [:]

    mutating func findStarTargets() {
        for (m, indices) in starImports {
            let mod = modules[Int(m)]
            let targets = indices.sorted().compactMap { i in i < mod.importModules.count ? moduleIndex[mod.importModules[i]] : nil }
            if !targets.isEmpty { starTargets[m] = targets }
        }
    }

    var starImports: [Int32: Set<Int>] = [:]

    /// Elements a `for` loop (or unpacking, `next`, `yield from`) takes out of a value.
    mutating func elements(_ vs: Set<Value>) -> Set<Value> {
        var out = Set<Value>()
        for v in vs {
            switch v {
            case .container(let k): out.formUnion(get(k))
            case .external(let e): out.insert(derived(e, "[]"))
            case .instance(let c):
                if let f = dunder(c, "__iter__") {
                    let it = returns(of: f)
                    for i in it {
                        if case .container(let k) = i {
                            out.formUnion(get(k))
                        } else if case .instance(let ic) = i, let n = dunder(ic, "__next__") {
                            out.formUnion(returns(of: n))
                        }
                    }
                }
            default: break
            }
        }
        return out
    }

    mutating func returns(of f: Int32) -> Set<Value> {
        if scopes[Int(f)].isGenerator { return [.container(key(.yields(f)))] }
        return read(.returns(f))
    }

    static let passThrough: Set<String> = [
        "list", "tuple", "set", "frozenset", "sorted", "reversed", "iter", "enumerate", "filter", "zip",
        "dict", "staticmethod", "classmethod", "functools.lru_cache", "functools.cache",
    ]
    static let elementReaders: Set<String> = ["get", "pop", "setdefault", "popitem", "popleft", "__getitem__"]
    static let sameContainer: Set<String> = ["values", "items", "keys", "copy"]

    /// What calling the values `callee` may return (arguments are bound separately, per call site).
    /// `argValues` are the arguments' values, evaluated once by the caller (so literal containers keep their keys).
    mutating func callResult(_ callee: Set<Value>, _ args: [PyExpr], _ argValues: [Set<Value>], _ s: Int32) -> Set<Value> {
        var out = Set<Value>()
        for v in callee {
            switch v {
            case .function(let f), .boundInstance(let f, _), .boundClass(let f, _):
                if let pi = passthrough[f] {
                    let offset: Int
                    if case .function = v { offset = 0 } else { offset = 1 }
                    let ai = pi - offset
                    if ai >= 0, ai < args.count, ai < argValues.count,
                        !args[...ai].contains(where: { if case .starred = $0 { return true } else { return false } })
                    {
                        // Only the argument that comes back.
                        out.formUnion(argValues[ai])
                        continue
                    }
                }
                out.formUnion(returns(of: f))
            case .cls(let c):
                out.insert(.instance(c))
            case .instance(let c):
                if let f = dunder(c, "__call__") { out.formUnion(returns(of: f)) }
            case .external(let e):
                switch externalRole[Int(e)] {
                case .partial:
                    if let first = argValues.first { out.formUnion(first) }
                case .passThrough:
                    for a in argValues { out.formUnion(a) }
                case .next:
                    if let first = argValues.first { out.formUnion(elements(first)) }
                case .getattr:
                    if args.count >= 2, argValues.count >= 2, case let .constant(.str(attr, _)) = args[1] {
                        for o in argValues[0] { out.formUnion(attribute(o, attr)) }
                        if argValues.count > 2 { out.formUnion(argValues[2]) }
                    }
                case .superCall:
                    if let c = enclosingClass(s) { out.insert(.superOf(c)) }
                case .containerMethod:
                    break // the receiver's elements are handled by the caller
                case .none:
                    out.insert(derived(e, "()"))
                }
            case .module, .container, .superOf:
                break
            }
        }
        return out
    }

    mutating func eval(_ e: PyExpr, _ s: Int32) -> Set<Value> {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { return [] }
        switch e {
        case .name(let n):
            if let k = loadKey(s, n) { return get(k) }
            let m = scopeModule[Int(s)]
            let star = moduleAttribute(m, n, depth: 1)
            if !star.isEmpty { return star }
            if n == "super" { return [external("super")] }
            return PythonBuiltins.names.contains(n) ? [external(n)] : []
        case let .attribute(obj, name):
            var out = Set<Value>()
            for v in eval(obj, s) { out.formUnion(attribute(v, name)) }
            return out
        case let .call(f, args, _):
            if case .name("super") = f, loadKey(s, "super") == nil, let c = enclosingClass(s) { return [.superOf(c)] }
            if case let .attribute(obj, method) = f {
                let receivers = eval(obj, s)
                var callee = Set<Value>()
                for r in receivers { callee.formUnion(attribute(r, method)) }
                let hasContainer = receivers.contains { if case .container = $0 { return true } else { return false } }
                let argValues = hasContainer || callee.contains(where: needsArguments) ? args.map { eval($0, s) } : []
                var out = Set<Value>()
                var sawContainer = false
                for r in receivers {
                    guard case .container(let k) = r else { continue }
                    sawContainer = true
                    if Self.elementReaders.contains(method) {
                        out.formUnion(get(k))
                        if method == "get" || method == "pop" || method == "setdefault", argValues.count > 1 { out.formUnion(argValues[1]) }
                    } else if Self.sameContainer.contains(method) {
                        out.insert(r)
                    }
                }
                if !sawContainer || out.isEmpty { out.formUnion(callResult(callee, args, argValues, s)) }
                return out
            }
            let callee = eval(f, s)
            guard callee.contains(where: needsArguments) else { return callResult(callee, args, [], s) }
            return callResult(callee, args, args.map { eval($0, s) }, s)
        case .lambda(_, _, let scope):
            return [.function(modules[Int(scopeModule[Int(s)])].base + scope)]
        case .tuple(let es), .list(let es), .set(let es):
            let k = nextLiteral()
            for x in es {
                if case .starred(let inner) = x { insert(k, elements(eval(inner, s))) } else { insert(k, eval(x, s)) }
            }
            return [.container(k)]
        case .dict(let items):
            let k = nextLiteral()
            for (key, v) in items {
                if key == nil { insert(k, elements(eval(v, s))) } else { insert(k, eval(v, s)) }
            }
            return [.container(k)]
        case .listComp(let elt, _), .setComp(let elt, _), .genExp(let elt, _), .dictComp(_, let elt, _):
            let k = nextLiteral()
            insert(k, eval(elt, s))
            return [.container(k)]
        case let .index(obj, _):
            var out = Set<Value>()
            for v in eval(obj, s) {
                switch v {
                case .container(let k): out.formUnion(get(k))
                case .instance(let c): if let f = dunder(c, "__getitem__") { out.formUnion(returns(of: f)) }
                case .external(let x): out.insert(derived(x, "[]"))
                default: break
                }
            }
            return out
        case let .ifExp(body, _, orElse):
            return eval(body, s).union(eval(orElse, s))
        case let .boolOp(_, vs):
            var out = Set<Value>()
            for v in vs { out.formUnion(eval(v, s)) }
            return out
        case let .namedExpr(_, v):
            return eval(v, s)
        case .await(let x):
            return eval(x, s)
        case .starred(let x):
            return eval(x, s)
        default:
            return []
        }
    }

    mutating func nextLiteral() -> Int32 {
        literalCounter += 1
        return key(.literal(literalOwner, literalCounter))
    }

    // MARK: statements

    mutating func assign(_ target: PyExpr, _ vs: Set<Value>, _ s: Int32) {
        switch target {
        case .name(let n):
            insert(storeKey(s, n), vs)
        case let .attribute(obj, name):
            guard !vs.isEmpty else { return }
            for o in eval(obj, s) {
                switch o {
                case .instance(let c), .cls(let c): insert(.variable(c, name), vs)
                case .module(let m): insert(.variable(modules[Int(m)].base, name), vs)
                default: break
                }
            }
        case let .index(obj, _):
            guard !vs.isEmpty else { return }
            for o in eval(obj, s) { if case .container(let k) = o { insert(k, vs) } }
        case .tuple(let ts), .list(let ts):
            // Unpacking: each target may take any element (a non-container value is taken whole).
            var parts = Set<Value>()
            for v in vs {
                if case .container(let k) = v { parts.formUnion(get(k)) } else { parts.insert(v) }
            }
            for t in ts { assign(t, parts, s) }
        case .starred(let t):
            assign(t, vs, s)
        default:
            break
        }
    }

    mutating func process(_ fact: PyFlowFact, base: Int32) {
        switch fact {
        case let .assign(targets, value, scope):
            let s = base + scope
            if targets.count == 1, case .tuple(let ts) = targets[0], case .tuple(let vs) = value, ts.count == vs.count,
                !vs.contains(where: { if case .starred = $0 { return true } else { return false } })
            {
                for (t, v) in zip(ts, vs) { assign(t, eval(v, s), s) }
                return
            }
            let vs = eval(value, s)
            for t in targets { assign(t, vs, s) }
        case let .ret(e, scope):
            let s = base + scope
            insert(.returns(s), eval(e, s))
        case let .yield(e, scope, from):
            let s = base + scope
            let vs = eval(e, s)
            insert(.yields(s), from ? elements(vs) : vs)
        case let .loop(target, iter, scope):
            let s = base + scope
            assign(target, elements(eval(iter, s)), s)
        case let .with(e, target, scope, _):
            let s = base + scope
            guard let target else { return }
            var entered = Set<Value>()
            for v in eval(e, s) {
                if case .instance(let c) = v, let f = dunder(c, "__enter__") {
                    insert(.variable(f, firstParameter(f) ?? "self"), [v])
                    entered.formUnion(returns(of: f))
                } else if case .external(let x) = v {
                    entered.insert(derived(x, ".__enter__()"))
                }
            }
            assign(target, entered, s)
        case let .define(scope, outer):
            let d = base + scope, o = base + outer
            let sc = scopes[Int(d)]
            if sc.kind == .function, let params = sc.params {
                for prm in params.posOnly + params.args + params.kwOnly {
                    if let dv = prm.defaultValue { insert(.variable(d, prm.name), eval(dv, o)) }
                }
            }
            var v: Set<Value> = sc.kind == .class ? [.cls(d)] : [.function(d)]
            for dec in sc.decorators.reversed() {
                var result = Set<Value>()
                var identity = false
                for c in eval(dec, o) {
                    switch c {
                    case .function, .boundInstance, .boundClass, .cls, .instance:
                        bind(c, positional: [v], o)
                        result.formUnion(passthroughResult(c, [v]) ?? callResult([c], [], [], o))
                    default:
                        identity = true
                    }
                }
                v = result.isEmpty || identity ? v.union(result) : result
            }
            insert(storeKey(o, String(sc.qualified.split(separator: ".").last ?? "")), v)
        }
    }

    func firstParameter(_ f: Int32) -> String? {
        guard let p = scopes[Int(f)].params else { return nil }
        return (p.posOnly + p.args).first?.name
    }

    /// Binds argument values to the parameters of what `callee` runs.
    mutating func bind(
        _ callee: Value, positional: [Set<Value>], starred: Set<Value> = [], keywords: [(String?, Set<Value>)] = [],
        _ s: Int32
    ) {
        var f: Int32
        var receiver: Value?
        switch callee {
        case .function(let x): f = x
        case .boundInstance(let x, let c): f = x; receiver = .instance(c)
        case .boundClass(let x, let c): f = x; receiver = .cls(c)
        case .cls(let c):
            guard let i = dunder(c, "__init__") else { return }
            f = i; receiver = .instance(c)
        case .instance(let c):
            guard let i = dunder(c, "__call__") else { return }
            f = i; receiver = callee
        default: return
        }
        guard let params = scopes[Int(f)].params else { return }
        let ordered = params.posOnly + params.args
        var index = 0
        if let receiver, !ordered.isEmpty { insert(.variable(f, ordered[0].name), [receiver]); index = 1 }
        var bound = Set<String>()
        for vs in positional {
            if index < ordered.count {
                insert(.variable(f, ordered[index].name), vs); bound.insert(ordered[index].name)
            } else if params.vararg != nil {
                insert(.varargs(f), vs)
            }
            index += 1
        }
        if !starred.isEmpty {
            for p in ordered.dropFirst(min(index, ordered.count)) { insert(.variable(f, p.name), starred) }
            if params.vararg != nil { insert(.varargs(f), starred) }
        }
        for (name, vs) in keywords {
            if let name {
                if ordered.contains(where: { $0.name == name }) || params.kwOnly.contains(where: { $0.name == name }) {
                    insert(.variable(f, name), vs)
                } else if params.kwarg != nil {
                    insert(.kwargs(f), vs)
                }
            } else {
                for p in ordered.dropFirst(receiver == nil ? 0 : 1) + params.kwOnly where !bound.contains(p.name) {
                    insert(.variable(f, p.name), vs)
                }
                if params.kwarg != nil { insert(.kwargs(f), vs) }
            }
        }
    }

    static let mutators: Set<String> = ["append", "add", "insert", "appendleft", "setdefault", "push"]
    static let extenders: Set<String> = ["extend", "update", "extendleft"]

    mutating func process(site: PyCallSite, base: Int32) {
        let s = base + site.scope
        var callee = Set<Value>()
        var receivers = Set<Value>()
        var method = ""
        if case let .attribute(obj, m) = site.function {
            method = m
            receivers = eval(obj, s)
            for r in receivers { callee.formUnion(attribute(r, m)) }
        } else {
            callee = eval(site.function, s)
        }
        // Arguments matter only to project callables, partial, and containers being filled.
        if !receivers.contains(where: { if case .container = $0 { return true } else { return false } }),
            !callee.contains(where: needsArguments)
        {
            return
        }
        // Every argument once, in order: literal containers keep their keys from round to round.
        var positional: [Set<Value>] = []
        var starred = Set<Value>()
        var argValues: [Set<Value>] = []
        for a in site.args {
            if case .starred(let inner) = a {
                let vs = eval(inner, s)
                argValues.append(vs)
                starred.formUnion(elements(vs))
            } else {
                let vs = eval(a, s)
                argValues.append(vs)
                positional.append(vs)
            }
        }
        var keywords: [(String?, Set<Value>)] = []
        for k in site.keywords {
            let vs = eval(k.value, s)
            keywords.append((k.name, k.name == nil ? elements(vs) : vs))
        }
        for r in receivers {
            guard case .container(let k) = r else { continue }
            if Self.mutators.contains(method), let last = argValues.last { insert(k, last) }
            if Self.extenders.contains(method) {
                if let first = argValues.first { insert(k, elements(first)) }
                for kw in keywords { insert(k, kw.1) }
            }
        }
        guard !callee.isEmpty else { return }
        for c in callee {
            if case .external(let e) = c, isPartial(e) {
                // functools.partial(f, a): bind the frozen arguments now; the rest bind when the partial is called.
                if let first = argValues.first { for target in first { bind(target, positional: Array(positional.dropFirst()), s) } }
                continue
            }
            bind(c, positional: positional, starred: starred, keywords: keywords, s)
        }
    }

    func isPartial(_ e: Int32) -> Bool { externalRole[Int(e)] == .partial }

    /// True when calling `v` does something with the arguments' values.
    func needsArguments(_ v: Value) -> Bool {
        switch v {
        case .function, .boundInstance, .boundClass, .cls, .instance: return true
        case .external(let e): return externalRole[Int(e)] != .none
        case .module, .container, .superOf: return false
        }
    }

    /// Values an expression can never hold anything this analysis tracks (arithmetic, comparisons, literals of text).
    static func inert(_ e: PyExpr) -> Bool {
        switch e {
        case .constant, .joinedStr, .binary, .unary, .compare: return true
        default: return false
        }
    }

    // MARK: solving

    mutating func solve() {
        findPassthrough()
        findStarTargets()
        seed()
        rounds = 0
        iterate()
        if seedReceivers() { iterate() }
    }

    /// Runs queued work items until none is left or the budget (rounds × items) is spent.
    mutating func iterate() {
        if work.isEmpty {
            // Imports first: they bind the names the rest reads.
            for m in modules.indices { for i in (importsOf[Int32(m)] ?? []).indices { work.append((Int32(m), Int32(i), 2)) } }
            for m in modules.indices {
                for (i, fact) in modules[m].unit.facts.enumerated() {
                    switch fact {
                    case let .assign(_, value, _) where Self.inert(value): continue
                    case let .ret(value, _) where Self.inert(value): continue
                    default: work.append((Int32(m), Int32(i), 0))
                    }
                }
                for i in modules[m].unit.sites.indices { work.append((Int32(m), Int32(i), 1)) }
            }
            queued = Array(repeating: true, count: work.count)
            queue = (0..<Int32(work.count)).map { $0 }
        }
        let budget = evaluations + Self.maxRounds * max(1, work.count)
        var head = 0
        while head < queue.count, evaluations < budget {
            let w = queue[head]
            head += 1
            queued[Int(w)] = false
            evaluations += 1
            run(w)
            if head > 4096, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
        queue.removeAll()
        for i in queued.indices { queued[i] = false }
        rounds = evaluations / max(1, work.count)
    }

    mutating func run(_ w: Int32) {
        let item = work[Int(w)]
        let m = Int(item.module), i = Int(item.index)
        let base = modules[m].base
        readLog.removeAll(keepingCapacity: true)
        switch item.kind {
        case 1:
            literalOwner = Self.owner(module: m, site: i)
            literalCounter = 0
            process(site: modules[m].unit.sites[i], base: base)
        case 0:
            literalOwner = Self.owner(module: m, fact: i)
            literalCounter = 0
            process(modules[m].unit.facts[i], base: base)
        default:
            bindImport(Int32(m), i)
        }
        if dependents.count < values.count {
            dependents.append(contentsOf: repeatElement([], count: values.count - dependents.count))
            dependentStamp.append(contentsOf: repeatElement(-1, count: values.count - dependentStamp.count))
        }
        for k in readLog where dependentStamp[Int(k)] != w {
            dependentStamp[Int(k)] = w
            dependents[Int(k)].append(w)
        }
    }

    /// Literal containers are keyed by the statement or call site that evaluates them.
    static func owner(module m: Int, fact i: Int) -> Int32 { Int32(truncatingIfNeeded: (m << 20) | i) }
    static func owner(module m: Int, site i: Int) -> Int32 { -1 - Int32(truncatingIfNeeded: (m << 20) | i) }

    /// Import statements: what each bound name refers to.
    var importsOf: [Int32: [CodeImport]] = [:]

    mutating func bindImport(_ m: Int32, _ i: Int) {
        let mod = modules[Int(m)]
        guard let imports = importsOf[m], i < imports.count, i < mod.unit.importScopes.count, i < mod.importModules.count else { return }
        let imp = imports[i]
        let s = mod.base + mod.unit.importScopes[i]
        let abs = mod.importModules[i]
        if let name = imp.name {
            if name == "*" { return }
            let vs: Set<Value>
            if let target = moduleIndex[abs] {
                vs = moduleAttribute(target, name, depth: 0)
            } else {
                vs = [external(abs.isEmpty ? name : abs + "." + name)]
            }
            insert(storeKey(s, imp.alias ?? name), vs)
        } else if let module = imp.module {
            let full = imp.alias != nil ? module : String(module.split(separator: ".").first ?? "")
            let vs: Set<Value> = moduleIndex[full].map { [.module($0)] } ?? [external(full)]
            insert(storeKey(s, imp.boundName), vs)
        }
    }

    // MARK: reading back

    /// Qualified (module-qualified) name of a def or class scope.
    func fullName(_ f: Int32) -> String {
        let mod = modules[Int(scopeModule[Int(f)])].name
        let q = scopes[Int(f)].qualified
        return mod.isEmpty ? q : mod + "." + q
    }

    /// What a call with these callee values runs: project definitions and outside names.
    mutating func targets(of callee: Set<Value>) -> [Target] {
        var out: [Target] = []
        var seen = Set<Target>()
        func add(_ t: Target) { if seen.insert(t).inserted { out.append(t) } }
        for v in callee {
            switch v {
            case .function(let f), .boundInstance(let f, _), .boundClass(let f, _):
                if scopes[Int(f)].kind == .function { add(Target(kind: .project(f))) }
            case .cls(let c):
                // A class without a project `__init__` runs no project code when called: no edge.
                if let i = dunder(c, "__init__") { add(Target(kind: .project(i))) }
            case .instance(let c):
                if let i = dunder(c, "__call__") { add(Target(kind: .project(i))) }
            case .external(let e):
                add(Target(kind: .external(e)))
            case .module, .container, .superOf:
                break
            }
        }
        return out.sorted { a, b in
            switch (a.kind, b.kind) {
            case let (.project(x), .project(y)): return fullName(x) < fullName(y)
            case (.project, .external): return true
            case (.external, .project): return false
            case let (.external(x), .external(y)): return x < y
            }
        }
    }

    /// Callee values of a call site after solving.
    mutating func callee(of site: PyCallSite, base: Int32, literalOwner owner: Int32) -> Set<Value> {
        readLog.removeAll(keepingCapacity: true)
        literalOwner = owner
        literalCounter = 0
        let s = base + site.scope
        if case let .attribute(obj, method) = site.function {
            var out = Set<Value>()
            for r in eval(obj, s) { out.formUnion(attribute(r, method)) }
            return out
        }
        return eval(site.function, s)
    }
}
