/// Which record a vector belongs to: its kind and its id as the record's own store names it (an observation's,
/// learning's or memory's number, a summary's session id). How a backend keys its index is its own business.
public struct VectorKey: Hashable, Sendable {
    public var kind: RecordKind
    public var ref: String

    public init(kind: RecordKind, ref: String) { self.kind = kind; self.ref = ref }
    public static func observation(_ id: Int64) -> VectorKey { VectorKey(kind: .observation, ref: String(id)) }
    public static func memory(_ id: Int64) -> VectorKey { VectorKey(kind: .memory, ref: String(id)) }
}
