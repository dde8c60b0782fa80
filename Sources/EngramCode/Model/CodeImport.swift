import Foundation

/// One imported name: `import a.b as c` gives module "a.b", name nil, alias "c";
/// `from ..x import y as z` gives module "x", level 2, name "y", alias "z".
package struct CodeImport: Sendable, Hashable, Codable {
    /// Dotted module text as written (without the leading dots), nil for `from . import x`.
    package var module: String?
    /// Number of leading dots of a relative import (0 = absolute).
    package var level: Int
    /// Imported name for `from` imports (`*` for star imports), nil for plain `import`.
    package var name: String?
    package var alias: String?
    package var lineNumber: Int
    /// Nesting depth of the import statement (0 = module level).
    package var depth: Int

    package init(module: String?, level: Int, name: String?, alias: String?, lineNumber: Int, depth: Int) {
        self.module = module
        self.level = level
        self.name = name
        self.alias = alias
        self.lineNumber = lineNumber
        self.depth = depth
    }

    /// The local name this import binds (`import a.b` binds `a`).
    package var boundName: String {
        if let alias { return alias }
        if let name { return name }
        return String((module ?? "").split(separator: ".").first ?? "")
    }
}
