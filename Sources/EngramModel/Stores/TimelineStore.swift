/// What happened around a moment, across observations, prompts and session starts and ends, in time order. At equal
/// times a session's start comes before its prompts, its prompts before its observations (in id order), its end last.
public protocol TimelineStore: Sendable {
    /// Up to `before` entries before `time` (oldest first) and up to `after` from it on, in `project` (nil: every
    /// project). With `anchorObservation`, that observation is in neither list and its same-time neighbours fall on
    /// the side their order puts them.
    func around(time: String, anchorObservation: Int64?, project: String?, before: Int, after: Int) throws
        -> (earlier: [TimelineEntry], later: [TimelineEntry])
}
