/// The kinds of record search finds and vectors are kept for: captured observations, session summaries, learnings,
/// and memories an agent saved.
public enum RecordKind: String, Sendable, Codable, CaseIterable { case observation, summary, learning, memory }
