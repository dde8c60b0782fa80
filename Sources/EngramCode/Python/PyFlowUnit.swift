import Foundation

/// What the parser keeps of one file for value-flow resolution: its scopes, the statements that
/// move values (assignments, returns, yields, loops, `with`, definitions, imports) and every call site.
/// Immutable once built; shared by reference so an analysis stays cheap to copy.
final class PyFlowUnit: Sendable {
    let scopes: [PyFlowScope]
    let facts: [PyFlowFact]
    let sites: [PyCallSite]
    /// Flow scope of each entry of the file's `imports`, in the same order.
    let importScopes: [Int32]

    init(scopes: [PyFlowScope], facts: [PyFlowFact], sites: [PyCallSite], importScopes: [Int32]) {
        self.scopes = scopes
        self.facts = facts
        self.sites = sites
        self.importScopes = importScopes
    }
}

/// A scope as Python sees names: the module, a def, a class body or a lambda.
struct PyFlowScope: Sendable {
    enum Kind: UInt8, Sendable { case module, function, `class`, lambda }

    var kind: Kind
    /// Qualified name of the def or class (empty for the module; the enclosing definition's for a lambda).
    var qualified: String
    /// Enclosing scope, -1 for the module.
    var parent: Int32
    var params: PyArguments?
    var decorators: [PyExpr] = []
    var bases: [PyExpr] = []
    /// Names bound in this scope (assigned, defined, imported, parameters, loop and `with` targets).
    var locals: Set<String> = []
    var globals: Set<String> = []
    var nonlocals: Set<String> = []
    var isGenerator = false
    var line: Int32
}

/// A statement that moves values between names, attributes, containers and returns.
enum PyFlowFact: Sendable {
    /// `a = b = value` (also annotated assignments and `:=`).
    case assign(targets: [PyExpr], value: PyExpr, scope: Int32)
    case ret(PyExpr, scope: Int32)
    case yield(PyExpr, scope: Int32, from: Bool)
    /// `for target in iter` and comprehension clauses.
    case loop(target: PyExpr, iter: PyExpr, scope: Int32)
    /// `with expr as target`: calls `__enter__` and `__exit__`.
    case with(PyExpr, target: PyExpr?, scope: Int32, line: Int32)
    /// A def or class statement: binds its (decorated) value to its name in `in`.
    case define(scope: Int32, in: Int32)
}

/// One call expression with its arguments, in the flow scope where it is evaluated.
struct PyCallSite: Sendable {
    var function: PyExpr
    var args: [PyExpr]
    var keywords: [PyKeyword]
    var scope: Int32
    var line: Int32
    /// Qualified caller as `CodeCall.callerName` writes it.
    var caller: String
    var currentClass: String?
}

/// Carries the flow unit inside `CodeFileAnalysis` without taking part in its equality, hash or JSON.
package struct PyFlowBox: Sendable, Hashable {
    let unit: PyFlowUnit?

    init(_ unit: PyFlowUnit? = nil) { self.unit = unit }

    package static func == (a: PyFlowBox, b: PyFlowBox) -> Bool { true }
    package func hash(into hasher: inout Hasher) {}
}
