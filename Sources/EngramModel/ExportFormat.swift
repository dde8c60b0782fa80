import Foundation

/// The `engram export` JSONL format, version 1 (documented in docs/export-format.md).
/// Line 1 is a header; every other line is one stored row with a `"type"` naming its table.
/// Columns keep their stored names and values, so a round trip is exact. A store writes and reads these rows
/// (`PortabilityStore`); the engine turns them into lines and back.
public enum ExportFormat {
    public static let name = "engram-export"
    public static let version = 1

    /// How a column's value is written and checked.
    package enum Kind: Sendable {
        case text, int, real, bool
        /// A TEXT column holding a JSON array (files_touched, decorators…), written as JSON, not as a string.
        case json
    }

    package struct Column: Sendable {
        package var name: String
        package var kind: Kind
        package var nullable: Bool
    }

    /// One record type: its table, its columns in export order, and what makes two rows "the same"
    /// so that importing twice adds nothing.
    package struct RecordType: Sendable {
        package var type: String
        package var table: String
        package var columns: [Column]
        package var identity: [String]
        /// Whether the table has an INTEGER `id` that the export keeps.
        package var hasIntegerID: Bool
        /// Which column names a session that must exist (foreign key), if any.
        package var sessionReference: String?
    }

    private static func c(_ name: String, _ kind: Kind, _ nullable: Bool = false) -> Column {
        Column(name: name, kind: kind, nullable: nullable)
    }

    /// Record types in the order they are written and imported (sessions before what refers to them).
    package static let types: [RecordType] = [
        RecordType(
            type: "session", table: "sessions",
            columns: [
                c("id", .text), c("project", .text), c("started_at", .text), c("updated_at", .text), c("ended_at", .text, true),
                c("status", .text), c("source", .text, true), c("end_reason", .text, true), c("transcript_path", .text, true),
                c("summary_text", .text, true), c("last_assistant_message", .text, true), c("prompt_count", .int),
                c("tokens_injected", .int), c("tokens_compressed", .int),
            ], identity: ["id"], hasIntegerID: false, sessionReference: nil),
        RecordType(
            type: "prompt", table: "user_prompts",
            columns: [
                c("id", .int), c("session_id", .text), c("created_at", .text), c("prompt", .text),
            ], identity: ["session_id", "created_at", "prompt"], hasIntegerID: true, sessionReference: "session_id"),
        RecordType(
            type: "observation", table: "observations",
            columns: [
                c("id", .int), c("session_id", .text), c("project", .text), c("created_at", .text), c("hook_type", .text),
                c("tool_name", .text, true), c("title", .text), c("summary", .text), c("detail", .text, true),
                c("files_touched", .json), c("functions_changed", .json), c("raw_size_bytes", .int, true),
                c("compressed_tokens", .int, true), c("compression_time_ms", .int, true), c("compressor", .text),
            ], identity: ["session_id", "created_at", "hook_type", "title", "summary"], hasIntegerID: true, sessionReference: "session_id"),
        RecordType(
            type: "learning", table: "learnings",
            columns: [
                c("id", .int), c("project", .text, true), c("created_at", .text), c("updated_at", .text), c("category", .text),
                c("content", .text), c("confidence", .real), c("times_seen", .int), c("source_sessions", .json),
                c("is_manual", .bool), c("is_active", .bool),
            ], identity: ["project", "category", "content", "created_at"], hasIntegerID: true, sessionReference: nil),
        RecordType(
            type: "function", table: "function_map",
            columns: [
                c("id", .int), c("project", .text), c("file_path", .text), c("snapshot_at", .text), c("session_id", .text),
                c("qualified_name", .text), c("ordinal", .int), c("kind", .text), c("parent_class", .text, true),
                c("signature", .text), c("decorators", .json, true), c("docstring", .text, true), c("line_start", .int),
                c("line_end", .int), c("body_hash", .text), c("prev_hash", .text, true), c("change_type", .text, true),
            ], identity: ["project", "file_path", "qualified_name", "ordinal", "snapshot_at"], hasIntegerID: true, sessionReference: nil),
        RecordType(
            type: "call", table: "call_graph",
            columns: [
                c("id", .int), c("project", .text), c("session_id", .text), c("snapshot_at", .text), c("caller_file", .text),
                c("caller_name", .text), c("callee_name", .text), c("callee_resolved", .text, true), c("resolution", .text),
                c("line_number", .int, true),
            ], identity: ["project", "session_id", "snapshot_at", "caller_file", "caller_name", "callee_name", "line_number"],
            hasIntegerID: true, sessionReference: nil),
    ]

    package static func recordType(named type: String) -> RecordType? { types.first { $0.type == type } }

    /// The record type names, in file order.
    public static var typeNames: [String] { types.map(\.type) }
}
