import Foundation

/// Forgetting, and moving memory between machines in the export format (docs/export-format.md).
extension Engine {
    /// Forgets an observation, a session, a memory or a whole project, with everything derived from it.
    public func forget(_ target: ForgetTarget) throws -> ForgetService.Report {
        try ForgetService(engram).forget(target)
    }

    /// Streams the export of `project` (every project when nil) line by line; the count per record type.
    @discardableResult
    public func export(project: String?, progress: (Int, Int) -> Void = { _, _ in }, write: (String) throws -> Void) throws -> [String: Int] {
        try MemoryExporter(store: engram.stores.portability).export(project: project, progress: progress, write: write)
    }

    /// Imports an export file in one transaction; importing the same file again adds nothing.
    @discardableResult
    public func importFile(at url: URL, progress: (Int, Int) -> Void = { _, _ in }) throws -> MemoryImporter.Summary {
        try MemoryImporter(store: engram.stores.portability).importFile(at: url, progress: progress)
    }

    /// `importFile` for bytes in memory.
    @discardableResult
    public func importData(_ data: Data, progress: (Int, Int) -> Void = { _, _ in }) throws -> MemoryImporter.Summary {
        try MemoryImporter(store: engram.stores.portability).importData(data, progress: progress)
    }
}
