/// What an import wrote, per record type: rows inserted, and rows skipped because their identity was already stored.
public struct ImportTally: Sendable, Equatable {
    public var inserted: [String: Int]
    public var skipped: [String: Int]

    public init(inserted: [String: Int] = [:], skipped: [String: Int] = [:]) {
        self.inserted = inserted
        self.skipped = skipped
    }
}
