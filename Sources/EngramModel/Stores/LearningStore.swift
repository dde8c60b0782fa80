/// What a change of the learnings decides, given the current ones: a new learning or a new state of one, each
/// written with the event that tells of it (built from the learning as stored, so it can carry the new id).
public enum LearningChange: Sendable {
    case insert(LearningRecord, event: @Sendable (LearningRecord) -> EngramEvent)
    case update(LearningRecord, event: EngramEvent?)
}

/// Where learnings live. Learnings are soft-deleted (`isActive` false), never erased by these operations. Each change
/// is one transaction with its event, and `amend` decides inside it, so two processes learning the same thing at
/// once cannot both add it.
public protocol LearningStore: Sendable {
    /// The learning with this id, active or not.
    func learning(_ id: Int64) throws -> LearningRecord?
    /// For a project its own and the global learnings (`project` nil: all), active first, then by confidence, times
    /// seen and recency.
    func list(project: String?, includeInactive: Bool, limit: Int) throws -> [LearningRecord]
    /// Runs `decide` on the active learnings of exactly `project` (nil: the global ones) and writes what it returns,
    /// all in one transaction; returns the learning as written and its event as recorded.
    func amend(project: String?, _ decide: ([LearningRecord]) throws -> LearningChange) throws -> (learning: LearningRecord, event: EngramEvent?)
    /// Changes the learning `id` in one transaction (its `updatedAt` set to `now`), with the event `change` returns
    /// (given the learning as changed); nil when there is no such learning.
    func modify(_ id: Int64, now: String, _ change: (inout LearningRecord) -> EngramEvent?) throws -> (learning: LearningRecord, event: EngramEvent?)?
}
