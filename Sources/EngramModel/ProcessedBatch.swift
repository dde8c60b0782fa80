/// What `ProcessingStore.commit` wrote: one effect per item, in order, and the events written (stamped).
public struct ProcessedBatch: Sendable {
    public var effects: [ProcessedItem.Effect]
    public var events: [EngramEvent]

    public init(effects: [ProcessedItem.Effect], events: [EngramEvent]) { self.effects = effects; self.events = events }
}
