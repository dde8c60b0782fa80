/// An observation owing enrichment and the queue item it came from (whose payload holds the tool call).
public struct EnrichmentSubject: Sendable {
    public var observation: ObservationRecord
    public var item: QueueItem

    public init(observation: ObservationRecord, item: QueueItem) { self.observation = observation; self.item = item }
}
