/// Where `engram export` reads and `engram import` writes rows in the export format (`ExportFormat`, described in
/// docs/export-format.md): sessions, prompts, observations, learnings, function map and call graph, by stored column.
public protocol PortabilityStore: Sendable {
    /// Reads in one snapshot the rows of `project` (nil: every row): a project's sessions and their prompts, its
    /// observations, function map and call graph, its learnings and the global ones. `counts` is called first with how
    /// many rows of each record type follow; then `row` with each row, by record type in `ExportFormat.types` order and,
    /// within a type, by id (sessions by start time, then id). Throwing from either stops the export.
    func export(project: String?, counts: ([String: Int]) throws -> Void, row: (ExportRow) throws -> Void) throws

    /// Writes the rows `next` yields until it returns nil, as one unit of work: when anything throws nothing is written.
    /// First `check` is called, in the transaction, with those of `sessions` the store does not hold (the ones rows
    /// refer to that the import does not bring), and may throw to refuse. A row whose identity (`ExportFormat.RecordType`)
    /// is already stored, or was written earlier in the import, is skipped, so importing the same rows twice adds
    /// nothing. A row keeps its id when the id is free, and gets a new one otherwise. Rows may refer to sessions that
    /// come later in `next`.
    func importRows(sessions: Set<String>, check: (_ missing: Set<String>) throws -> Void, next: () throws -> ExportRow?) throws -> ImportTally
}
