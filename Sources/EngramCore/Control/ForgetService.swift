import Foundation

/// Deletes what a person asks engram to forget — one observation, one session, one
/// memory, or everything of a project — from every table and index, in one transaction (`ForgetStore`).
public struct ForgetService: Sendable {
    public typealias Target = ForgetTarget

    /// Rows deleted per table.
    public struct Report: Sendable, Codable, Equatable {
        public var target: String
        public var deleted: [String: Int]
        public var total: Int { deleted.values.reduce(0, +) }
    }

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    public func forget(_ target: Target) throws -> Report {
        let deleted = try engram.stores.forget.forget(target)
        switch target {
        case .observation(let id): return Report(target: "#\(id)", deleted: deleted)
        case .memory(let id): return Report(target: "M\(id)", deleted: deleted)
        case .session(let sid): return Report(target: "session:\(sid)", deleted: deleted)
        case .project(let root): return Report(target: "project:\(root)", deleted: deleted)
        }
    }
}

extension ForgetTarget {
    /// Reads `#42`/`42`, `session:ID`, `M7`.
    public static func parse(_ text: String) throws -> ForgetTarget {
        let t = text.blankTrimmed
        if let n = Int64(t.drop(while: { $0 == "#" })), n > 0 { return .observation(n) }
        if t.hasPrefix("session:"), t.count > "session:".count { return .session(String(t.dropFirst("session:".count))) }
        if t.count > 1, t.first == "M" || t.first == "m", let n = Int64(t.dropFirst()) { return .memory(n) }
        throw EngramError.invalidArgument(
            "Cannot read \"\(text)\": forget takes an observation (#42), a session (session:ID), a memory (M7), or --project DIR --all.")
    }
}
