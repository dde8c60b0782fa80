import EngramCore
import Foundation

/// Function-map change rows over a period, netted per definition: a function added and then
/// edited twice in the period counts once, as new; one added and deleted again not at all.
struct FunctionChangeLog: Sendable {
    struct Row: Sendable, Equatable {
        var project: String
        var file: String
        var qualifiedName: String
        var ordinal: Int
        var change: String
        var signature: String
        var sessionID: String
        var lineStart: Int
    }

    var rows: [Row]

    /// Loads changed rows (new | modified | deleted) with `snapshot_at >= since`, oldest first, and nets them.
    static func load(_ codeMap: any CodeMapStore, project: String?, since: String, session: String? = nil) throws -> FunctionChangeLog {
        FunctionChangeLog(try codeMap.changes(project: project, since: since, session: session))
    }

    /// Nets changes already read (oldest first).
    init(_ changes: [CodeMapChange]) {
        rows = Self.net(
            changes.map { c in
                Row(
                    project: c.project, file: c.file, qualifiedName: c.qualifiedName, ordinal: c.ordinal, change: c.change,
                    signature: c.signature, sessionID: c.sessionID, lineStart: c.lineStart)
            })
    }

    init(rows: [Row]) { self.rows = rows }

    /// Nets chronological rows per (project, file, name, ordinal); result sorted by file, line, name.
    static func net(_ rows: [Row]) -> [Row] {
        struct Key: Hashable { var project: String; var file: String; var name: String; var ordinal: Int }
        var first: [Key: Row] = [:]
        var last: [Key: Row] = [:]
        for r in rows {
            let k = Key(project: r.project, file: r.file, name: r.qualifiedName, ordinal: r.ordinal)
            if first[k] == nil { first[k] = r }
            last[k] = r
        }
        var out: [Row] = []
        for (k, l) in last {
            guard let f = first[k] else { continue }
            var r = l
            if f.change == "new" {
                if l.change == "deleted" { continue }
                r.change = "new"
            }
            out.append(r)
        }
        return out.sorted { ($0.file, $0.lineStart, $0.qualifiedName, $0.ordinal) < ($1.file, $1.lineStart, $1.qualifiedName, $1.ordinal) }
    }

    func count(_ change: String) -> Int { rows.lazy.filter { $0.change == change }.count }

    /// The file with the most changes (ties: the first path in sort order).
    var mostChangedFile: (project: String, file: String)? {
        var counts: [String: (String, Int)] = [:]
        for r in rows { counts[r.project + "\u{0}" + r.file, default: (r.project, 0)].1 += 1 }
        let best = counts.sorted { $0.value.1 != $1.value.1 ? $0.value.1 > $1.value.1 : $0.key < $1.key }.first
        guard let best else { return nil }
        return (best.value.0, String(best.key.split(separator: "\u{0}", omittingEmptySubsequences: false).last ?? ""))
    }

    /// "AuthService.refresh_token(token) -> Token": the qualified name with the stored signature's
    /// parameters, without the `self`/`cls` receiver a reader does not need.
    static func display(qualifiedName: String, signature: String) -> String {
        let simple = qualifiedName.split(separator: ".").last.map(String.init) ?? qualifiedName
        guard signature.hasPrefix(simple + "(") else { return signature.isEmpty ? qualifiedName : qualifiedName + " " + signature }
        var rest = String(signature.dropFirst(simple.count))
        for receiver in ["self", "cls"] {
            if rest.hasPrefix("(\(receiver), ") {
                rest = "(" + rest.dropFirst(receiver.count + 3)
            } else if rest.hasPrefix("(\(receiver))") {
                rest = "(" + rest.dropFirst(receiver.count + 1)
            }
        }
        return qualifiedName + rest
    }
}
