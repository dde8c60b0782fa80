import Foundation

/// Constant values as CPython's AST keeps them (enough to reproduce `repr`).
enum PyConstant: Sendable {
    case str(String, isU: Bool)
    case bytes([UInt8])
    /// Python repr text of an int/float/complex value.
    case number(String)
    case none, `true`, `false`, ellipsis
}

/// One piece of an f-string.
enum PyFPart: Sendable {
    case literal(String)
    case field(PyExpr, conversion: UInt8?, spec: [PyFPart]?)
}

struct PyComprehension: Sendable {
    var target: PyExpr
    var iter: PyExpr
    var ifs: [PyExpr]
    var isAsync: Bool
}

struct PyParam: Sendable {
    var name: String
    var annotation: PyExpr?
    var defaultValue: PyExpr?
}

/// Parameter list in CPython's `arguments` shape.
struct PyArguments: Sendable {
    var posOnly: [PyParam] = []
    var args: [PyParam] = []
    var vararg: PyParam?
    var kwOnly: [PyParam] = []
    var kwarg: PyParam?

    var isEmpty: Bool { posOnly.isEmpty && args.isEmpty && vararg == nil && kwOnly.isEmpty && kwarg == nil }
}

struct PyKeyword: Sendable {
    var name: String?
    var value: PyExpr
}

/// Python expression tree (the subset of CPython's `ast.expr` that `ast.unparse` needs).
indirect enum PyExpr: Sendable {
    case name(String)
    case constant(PyConstant)
    case joinedStr([PyFPart])
    case attribute(PyExpr, String)
    case call(PyExpr, [PyExpr], [PyKeyword])
    case index(PyExpr, PyExpr)
    case slice(PyExpr?, PyExpr?, PyExpr?)
    case starred(PyExpr)
    case unary(String, PyExpr)
    case binary(PyExpr, String, PyExpr)
    case boolOp(String, [PyExpr])
    case compare(PyExpr, [(String, PyExpr)])
    case ifExp(body: PyExpr, test: PyExpr, orElse: PyExpr)
    /// The Int32 is the lambda's flow scope in its file.
    case lambda(PyArguments, PyExpr, Int32)
    case namedExpr(PyExpr, PyExpr)
    case await(PyExpr)
    case yield(PyExpr?)
    case yieldFrom(PyExpr)
    case tuple([PyExpr])
    case list([PyExpr])
    case set([PyExpr])
    case dict([(PyExpr?, PyExpr)])
    case listComp(PyExpr, [PyComprehension])
    case setComp(PyExpr, [PyComprehension])
    case genExp(PyExpr, [PyComprehension])
    case dictComp(PyExpr, PyExpr, [PyComprehension])
}
