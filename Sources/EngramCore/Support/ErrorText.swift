import Foundation

/// Errors as one line a person can act on, for stderr, logs kept per item and JSON-RPC replies: never SQL text
/// (GRDB's description of a failed statement holds the statement and its arguments, so payload text), never
/// a multi-line dump, bounded in length.
public enum ErrorText {
    public static func oneLine(_ error: any Error, limit: Int = 400) -> String {
        let text: String
        if let failure = error as? any StoreFailure {
            text = "the database refused the operation (\(failure.storeMessage)); run `engram doctor`"
        } else {
            text = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
        }
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }
}
