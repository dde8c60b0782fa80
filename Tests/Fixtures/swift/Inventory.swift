import Foundation

/// A stock keeping unit.
/// Second doc line.
public struct Item: Hashable, Sendable {
    public var name: String
    public var count: Int

    /// Creates an item.
    public init(name: String, count: Int = 0) {
        self.name = name
        self.count = count
    }
}

/** Keeps items by name. */
public actor Inventory {
    private var items: [String: Item] = [:]

    @discardableResult
    public func add(_ item: Item) async throws -> Int {
        items[item.name] = item
        return total()
    }

    func total() -> Int {
        items.values.reduce(0) { $0 + $1.count }
    }

    subscript(name: String) -> Item? {
        items[name]
    }
}

enum Category: String {
    case food, tools

    var label: String { rawValue.capitalized }
}

protocol Describable {
    func describe() -> String
}

extension Item: Describable {
    // Not a doc comment.
    func describe() -> String {
        let formatter = NumberFormatter()
        return "\(name): \(formatter.string(from: NSNumber(value: count)) ?? "")"
    }
}

@MainActor
func makeDefault<T: Collection>(from values: T) -> Item where T.Element == String {
    let item = Item(name: values.first ?? "none")
    print(item)
    return item
}
