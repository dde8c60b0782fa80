/// The vectors as one read of `VectorStore.read` sees them; valid only inside that call.
public protocol VectorSnapshot {
    /// A fingerprint of every vector stored: any store, replacement or deletion changes it; cheap enough for every search.
    func version() throws -> String
    /// An upper bound on how many vectors `forEachVector` yields, for reserving an index's capacity.
    func capacityHint() throws -> Int
    /// The length of `model`'s stored vectors; nil when it has none.
    func dimensions(model: String) throws -> Int?
    /// Streams every done vector of `model` with its record's index key and its location (for `vectors(at:)`), the
    /// vector in a buffer reused for the next, so an index of many vectors loads without as many arrays beside it.
    func forEachVector(model: String, _ body: (_ indexKey: Int64, _ location: Int64, UnsafeBufferPointer<Float>) throws -> Void) throws
    /// The done vectors of `model` at `rows` (as `forEachVector` gave them), keyed by index key; a row since replaced
    /// or deleted is left out. A search reads back the few it rescores this way.
    func vectors(at rows: [(location: Int64, indexKey: Int64)], model: String) throws -> [Int64: [Float]]
}
