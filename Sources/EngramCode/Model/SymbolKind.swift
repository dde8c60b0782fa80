import Foundation

/// What kind of definition a `CodeSymbol` is; raw values are the stored strings.
package enum SymbolKind: String, Sendable, Codable, CaseIterable {
    case function, method
    case asyncFunction = "async_function"
    case asyncMethod = "async_method"
    case `class`
    // Swift-only kinds.
    case initializer, `subscript`, `struct`, `enum`, actor, `protocol`, `extension`
}
