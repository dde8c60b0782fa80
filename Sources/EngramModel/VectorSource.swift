/// A record whose text needs a vector.
public struct VectorSource: Sendable, Equatable {
    public var key: VectorKey
    public var text: String

    public init(key: VectorKey, text: String) { self.key = key; self.text = text }
}
