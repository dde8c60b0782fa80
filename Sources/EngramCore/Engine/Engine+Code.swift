import Foundation

/// The code map: each file's functions as of its latest snapshot, and the calls between them.
extension Engine {
    private var code: CodeQueries { CodeQueries(engram) }

    /// The files of `project` with a code snapshot.
    public func codeFiles(project: String) throws -> [String] { try code.files(project: project) }

    /// The function map of one file, or of every file of the project.
    public func functionMap(project: String, file: String? = nil) throws -> [CodeQueries.FileMap] {
        try code.functionMap(project: project, file: file)
    }

    /// Call edges of a project, of one file, or out of one function.
    public func callEdges(project: String, file: String? = nil, function: String? = nil, limit: Int = 2_000) throws -> [CodeQueries.CallEdge] {
        try code.callEdges(project: project, file: file, function: function, limit: limit)
    }

    /// The calls into `name`.
    public func callers(of name: String, project: String, limit: Int = 500) throws -> [CodeQueries.CallEdge] {
        try code.callers(of: name, project: project, limit: limit)
    }
}
