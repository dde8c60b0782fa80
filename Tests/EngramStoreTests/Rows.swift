import EngramModel

/// Rows in the export format, for seeding any backend through `PortabilityStore.importRows` (the one way every backend
/// takes sessions, observations, learnings and code rows as they are, with their times).
enum Rows {
    static func session(_ id: String, project: String = "/p", at startedAt: String, updated: String? = nil, summary: String? = nil) -> ExportRow {
        ExportRow(
            type: "session",
            values: [
                "id": .text(id), "project": .text(project), "started_at": .text(startedAt), "updated_at": .text(updated ?? startedAt),
                "ended_at": .null, "status": .text(summary == nil ? "active" : "summarized"), "source": .text("startup"), "end_reason": .null,
                "transcript_path": .null, "summary_text": summary.map(ColumnValue.text) ?? .null, "last_assistant_message": .null,
                "prompt_count": .integer(0), "tokens_injected": .integer(0), "tokens_compressed": .integer(0),
            ])
    }

    static func prompt(_ id: Int64, session: String, at: String, _ text: String) -> ExportRow {
        ExportRow(type: "prompt", values: ["id": .integer(id), "session_id": .text(session), "created_at": .text(at), "prompt": .text(text)])
    }

    static func observation(
        _ id: Int64, session: String, project: String = "/p", at: String, tool: String = "Read", title: String,
        hook: String = "PostToolUse", files: [String] = []
    ) -> ExportRow {
        ExportRow(
            type: "observation",
            values: [
                "id": .integer(id), "session_id": .text(session), "project": .text(project), "created_at": .text(at), "hook_type": .text(hook),
                "tool_name": .text(tool), "title": .text(title), "summary": .text(title + "."), "detail": .null,
                "files_touched": .text(JSONList.encode(files)), "functions_changed": .text("[]"), "raw_size_bytes": .integer(100),
                "compressed_tokens": .integer(10), "compression_time_ms": .null, "compressor": .text("heuristic"),
            ])
    }

    static func learning(
        _ id: Int64, project: String? = "/p", _ content: String, confidence: Double = 0.5, seen: Int64 = 1,
        active: Bool = true, manual: Bool = false, at: String = "2026-12-01T09:00:00.000Z"
    ) -> ExportRow {
        ExportRow(
            type: "learning",
            values: [
                "id": .integer(id), "project": project.map(ColumnValue.text) ?? .null, "created_at": .text(at), "updated_at": .text(at),
                "category": .text("gotcha"), "content": .text(content), "confidence": .real(confidence), "times_seen": .integer(seen),
                "source_sessions": .text("[]"), "is_manual": .integer(manual ? 1 : 0), "is_active": .integer(active ? 1 : 0),
            ])
    }

    static func function(
        _ id: Int64, project: String = "/p", file: String, at: String, session: String, _ name: String,
        change: String?, line: Int64 = 1
    ) -> ExportRow {
        ExportRow(
            type: "function",
            values: [
                "id": .integer(id), "project": .text(project), "file_path": .text(file), "snapshot_at": .text(at), "session_id": .text(session),
                "qualified_name": .text(name), "ordinal": .integer(0), "kind": .text("function"), "parent_class": .null,
                "signature": .text("\(name)()"), "decorators": .text("[]"), "docstring": .null, "line_start": .integer(line),
                "line_end": .integer(line + 3), "body_hash": .text("h-\(name)-\(at)"), "prev_hash": .null,
                "change_type": change.map(ColumnValue.text) ?? .null,
            ])
    }

    static func call(
        _ id: Int64, project: String = "/p", file: String, at: String, session: String, caller: String, callee: String,
        resolution: String = "resolved", line: Int64 = 2
    ) -> ExportRow {
        ExportRow(
            type: "call",
            values: [
                "id": .integer(id), "project": .text(project), "session_id": .text(session), "snapshot_at": .text(at), "caller_file": .text(file),
                "caller_name": .text(caller), "callee_name": .text(callee), "callee_resolved": resolution == "unresolved" ? .null : .text(callee),
                "resolution": .text(resolution), "line_number": .integer(line),
            ])
    }

    /// Imports `rows` in order into `stores`, failing on any session they refer to and do not bring.
    @discardableResult
    static func load(_ stores: Stores, _ rows: [ExportRow]) throws -> ImportTally {
        var rest = rows[...]
        let brought = Set(rows.filter { $0.type == "session" }.compactMap { $0.values["id"]?.text })
        let referred = Set(rows.compactMap { ["prompt", "observation"].contains($0.type) ? $0.values["session_id"]?.text : nil })
        return try stores.portability.importRows(
            sessions: referred.subtracting(brought),
            check: { missing in
                if !missing.isEmpty { throw MissingSessions(ids: missing) }
            }, next: { rest.popFirst() })
    }

    struct MissingSessions: Error, Equatable { var ids: Set<String> }

    /// Every row `stores` exports (of `project`, nil: all), in export order.
    static func exported(_ stores: Stores, project: String? = nil) throws -> [ExportRow] {
        var out: [ExportRow] = []
        try stores.portability.export(project: project, counts: { _ in }, row: { out.append($0) })
        return out
    }
}
