/// What a session-start briefing is made of. One method, one snapshot: the layers of a briefing never disagree about
/// what a project holds (a session counted in one layer and its observations missing from another).
public protocol BriefingStore: Sendable {
    /// The material of `project`'s briefing, read in one snapshot, the session `excludingSession` left out of `sessions`
    /// (another project's rows never show, global learnings do):
    /// - `sessions`: the `sessions` latest started, newest first, each with its first prompt and what its
    ///   observations did (`BriefingMaterial.Session`);
    /// - `definitions`: for each of the 8 files snapshotted last, the definitions of every snapshot the session of the
    ///   file's latest snapshot made of it, the file snapshotted last first, then by path, then oldest snapshot first;
    /// - `fileEdits`: the files the latest 400 edits touched, the file edited last first, at most 10;
    /// - `learnings`: active learnings of the project and the global ones, by confidence, times seen, then recency,
    ///   at most `learnings`;
    /// - `observations`: of the latest 200 observations, those that changed or ran something (edits, writes, shell)
    ///   before the others, each group newest first, at most `observations`.
    func material(project: String, excludingSession: String?, sessions: Int, learnings: Int, observations: Int) throws -> BriefingMaterial
}
