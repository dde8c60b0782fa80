import Foundation

/// What Claude Code sends a hook on stdin, decoded leniently: unknown fields ignored,
/// missing ones tolerated, numbers and strings accepted where either is sent.
public struct HookInput: Sendable {
    public var raw: JSONValue
    public var sessionID: String?
    public var transcriptPath: String?
    public var cwd: String?
    public var hookEventName: String?
    public var source: String?
    public var prompt: String?
    public var toolName: String?
    public var toolInput: JSONValue
    public var toolResponse: JSONValue
    public var toolUseID: String?
    public var durationMs: Int?
    public var stopHookActive: Bool
    public var lastAssistantMessage: String?
    public var reason: String?
    /// PostToolUseFailure: what went wrong (for Bash "Exit code N\n" and the output).
    public var error: String?
    /// PostToolUseFailure: the user stopped the tool call.
    public var isInterrupt: Bool?
    /// The prompt that caused this event (newer Claude Code versions send it after SessionStart).
    public var promptID: String?

    public enum ParseError: LocalizedError, Equatable {
        case empty
        case notJSON(String)
        case notAnObject

        public var errorDescription: String? {
            switch self {
            case .empty: return "no input on stdin (a hook expects Claude Code's JSON)"
            case .notJSON(let why): return "stdin is not JSON (\(why))"
            case .notAnObject: return "stdin JSON is not an object"
            }
        }
    }

    public static func parse(_ data: Data) throws -> HookInput {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw ParseError.empty }
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch {
            let preview = String(decoding: data.prefix(40), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw ParseError.notJSON("\(data.count) bytes starting \"\(preview)\"")
        }
        guard case .object = value else { throw ParseError.notAnObject }
        return HookInput(value)
    }

    public init(_ v: JSONValue) {
        raw = v
        sessionID = v["session_id"]?.textValue.flatMap { $0.isEmpty ? nil : Self.identifier($0) }
        transcriptPath = v["transcript_path"]?.textValue.flatMap(Self.absolutePath)
        cwd = v["cwd"]?.textValue.flatMap(Self.absolutePath)
        hookEventName = v["hook_event_name"]?.textValue.map { Self.bounded($0, 64) }
        source = v["source"]?.textValue.map { Self.bounded($0, 256) }
        prompt = v["prompt"]?.textValue.map { Self.bounded($0, Self.maxTextBytes) }
        toolName = v["tool_name"]?.textValue.map { Self.bounded($0, 128) }
        toolInput = v["tool_input"] ?? .null
        toolResponse = v["tool_response"] ?? .null
        toolUseID = v["tool_use_id"]?.textValue.map { Self.bounded($0, 128) }
        durationMs = v["duration_ms"]?.intValue
        stopHookActive = v["stop_hook_active"]?.boolValue ?? false
        lastAssistantMessage = v["last_assistant_message"]?.textValue.map { Self.bounded($0, Self.maxTextBytes) }
        reason = v["reason"]?.textValue.map { Self.bounded($0, 256) }
        // Fields engram only tolerates (permission_mode, effort, background_tasks, session_crons) are left in `raw`.
        // Not cut here: capture keeps the head and the tail of an error (the failing assertion is at the end).
        error = v["error"].flatMap { $0.textValue ?? ($0 == .null ? nil : $0.serialized()) }
        isInterrupt = v["is_interrupt"]?.boolValue
        promptID = v["prompt_id"]?.textValue.flatMap { $0.isEmpty ? nil : Self.bounded($0, 128) }
    }

    /// Free text (prompts, the last assistant message) is cut to this before it is filtered or stored; storage
    /// cuts it again, to 16 KB, after filtering.
    static let maxTextBytes = 64 * 1024
    /// Longest session id kept as sent; Claude Code's are 36-character UUIDs.
    static let maxIdentifierBytes = 128

    /// A session id as stored: kept when short and printable, else replaced by a digest of it (`sid-…`), so a
    /// 1 MB id is never copied into the queue, the observations, the event log and the daily logs, and two
    /// distinct long ids stay distinct.
    static func identifier(_ s: String) -> String {
        if s.utf8.count <= maxIdentifierBytes, s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) { return s }
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325, h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for b in s.utf8 {
            h1 = (h1 ^ UInt64(b)) &* 0x100_0000_01b3
            h2 = (h2 &+ UInt64(b)) &* 0x9E37_79B9_7F4A_7C15
        }
        return "sid-" + String(h1, radix: 16) + String(h2, radix: 16)
    }

    /// An absolute path no longer than PATH_MAX, else nil: a relative or empty one says nothing about where the
    /// agent works, and resolving it against the hook process's own directory would file the item elsewhere.
    static func absolutePath(_ s: String) -> String? {
        guard s.hasPrefix("/"), s.utf8.count <= 4096, !s.utf8.contains(0) else { return nil }
        return s
    }

    /// `s` cut to at most `maxBytes` UTF-8 bytes, on a character boundary.
    static func bounded(_ s: String, _ maxBytes: Int) -> String {
        guard s.utf8.count > maxBytes else { return s }
        var end = s.utf8.index(s.utf8.startIndex, offsetBy: maxBytes)
        while end > s.utf8.startIndex, end.samePosition(in: s.unicodeScalars) == nil { end = s.utf8.index(before: end) }
        return String(String.UnicodeScalarView(s.unicodeScalars[..<end]))
    }
}
