/// One enrichment step an observation still owes.
public struct OwedEnrichment: Sendable, Hashable {
    public var observationID: Int64
    public var step: String

    public init(observationID: Int64, step: String) { self.observationID = observationID; self.step = step }
}
