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
        sessionID = v["session_id"]?.textValue.flatMap { $0.isEmpty ? nil : $0 }
        transcriptPath = v["transcript_path"]?.textValue
        cwd = v["cwd"]?.textValue.flatMap { $0.isEmpty ? nil : $0 }
        hookEventName = v["hook_event_name"]?.textValue
        source = v["source"]?.textValue
        prompt = v["prompt"]?.textValue
        toolName = v["tool_name"]?.textValue
        toolInput = v["tool_input"] ?? .null
        toolResponse = v["tool_response"] ?? .null
        toolUseID = v["tool_use_id"]?.textValue
        durationMs = v["duration_ms"]?.intValue
        stopHookActive = v["stop_hook_active"]?.boolValue ?? false
        lastAssistantMessage = v["last_assistant_message"]?.textValue
        reason = v["reason"]?.textValue
        // Fields engram only tolerates (permission_mode, effort, background_tasks, session_crons) are left in `raw`.
        error = v["error"].flatMap { $0.textValue ?? ($0 == .null ? nil : $0.serialized()) }
        isInterrupt = v["is_interrupt"]?.boolValue
        promptID = v["prompt_id"]?.textValue.flatMap { $0.isEmpty ? nil : $0 }
    }
}
