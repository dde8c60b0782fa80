import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

/// Crafted import files, as an attacker or a broken tool would hand them over: each is refused with a clear
/// message and leaves the store untouched, or, when valid, imports exactly once and in linear work.
@Suite struct ImportProbeTests {
    static let header = #"{"format":"engram-export","version":1}"#

    static func session(_ id: String) -> String {
        #"{"type":"session","id":"\#(id)","project":"/p","started_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z","ended_at":null,"status":"closed","source":null,"end_reason":null,"transcript_path":null,"summary_text":null,"last_assistant_message":null,"prompt_count":0,"tokens_injected":0,"tokens_compressed":0}"#
    }

    static func prompt(_ i: Int, session: String) -> String {
        #"{"type":"prompt","id":\#(i + 1),"session_id":"\#(session)","created_at":"2026-01-01T00:00:\#(String(format: "%02d", i % 60)).000Z","prompt":"prompt number \#(i)"}"#
    }

    struct Crafted: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        /// Words the refusal must contain.
        var says: [String]
        var testDescription: String { name }
    }

    static let crafted: [Crafted] = [
        Crafted(name: "version as a string", text: #"{"format":"engram-export","version":"1"}"# + "\n", says: ["version", "whole number"]),
        Crafted(name: "version as a fraction", text: #"{"format":"engram-export","version":1.5}"# + "\n", says: ["version"]),
        Crafted(name: "no header", text: session("s") + "\n", says: ["Line 1"]),
        Crafted(name: "header is an array", text: "[1,2]\n", says: ["Line 1"]),
        Crafted(name: "unknown type", text: header + "\n" + #"{"type":"users","id":1}"# + "\n", says: ["Line 2", "unknown type"]),
        Crafted(name: "extra field", text: header + "\n" + session("s").dropLast() + #","admin":true}"# + "\n", says: ["Line 2", "admin"]),
        Crafted(
            name: "wrong kind",
            text: header + "\n" + session("s").replacingOccurrences(of: #""prompt_count":0"#, with: #""prompt_count":"0""#) + "\n",
            says: ["Line 2", "prompt_count"]),
        Crafted(name: "dangling session reference", text: header + "\n" + prompt(0, session: "ghost") + "\n", says: ["ghost"]),
        Crafted(
            name: "promised counts do not match",
            text: #"{"format":"engram-export","version":1,"counts":{"session":2}}"# + "\n" + session("s") + "\n",
            says: ["promises 2"]),
        Crafted(name: "invalid UTF-8", text: header + "\n" + "{\"type\":\"session\",\"id\":\"\u{FFFD}", says: ["Line 2"]),
        Crafted(name: "nested JSON bomb", text: header + "\n" + String(repeating: "[", count: 100_000) + "\n", says: ["Line 2"]),
    ]

    @Test(arguments: crafted)
    func craftedFilesAreRefusedAndChangeNothing(_ c: Crafted) throws {
        let store = try EngramStore.inMemory()
        var message = ""
        #expect(throws: PortabilityError.self) {
            do { try MemoryImporter(store: store.stores.portability).importData(Data(c.text.utf8)) } catch {
                message = error.localizedDescription; throw error
            }
        }
        for word in c.says { #expect(message.contains(word), "\(c.name): \(message)") }
        #expect(try PortabilityTests.count(store) == 0)
    }

    /// A line longer than any record engram writes is refused before it is held whole (capture bounds payloads).
    @Test func anOversizeLineIsRefusedByItsNumber() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.jsonl")
        let big = #"{"type":"prompt","prompt":""# + String(repeating: "x", count: MemoryImporter.maxLineBytes + 10) + "\"}\n"
        try Data((Self.header + "\n" + Self.session("s") + "\n" + big).utf8).write(to: file)
        let store = try EngramStore.inMemory()
        let error = #expect(throws: PortabilityError.self) { try MemoryImporter(store: store.stores.portability).importFile(at: file) }
        guard case .lineTooLong(3, let size, MemoryImporter.maxLineBytes)? = error else { Issue.record("got \(String(describing: error))"); return }
        // Refused once past the limit, not after reading the whole line (at most one more 1 MB chunk).
        #expect(size > MemoryImporter.maxLineBytes && size <= MemoryImporter.maxLineBytes + (1 << 20))
        #expect(error?.localizedDescription.contains("Line 3") == true)
        #expect(try PortabilityTests.count(store) == 0)
    }

    /// Many records of one session import once, and again add nothing; streamed from a file in chunks smaller
    /// than the file, with each session's identities loaded once (the per-row scan made this quadratic).
    @Test func oneLongSessionImportsOnceFromAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 6_000
        var text = Self.header + "\n" + Self.session("long") + "\n"
        for i in 0..<n { text += Self.prompt(i, session: "long") + "\n" }
        let file = dir.appendingPathComponent("long.jsonl")
        try Data(text.utf8).write(to: file)
        #expect(text.utf8.count > 1 << 19)
        let store = try EngramStore.inMemory()
        let first = try MemoryImporter(store: store.stores.portability).importFile(at: file)
        #expect(first.inserted["prompt"] == n && first.inserted["session"] == 1)
        let again = try MemoryImporter(store: store.stores.portability).importFile(at: file)
        #expect(again.totalInserted == 0 && again.skipped["prompt"] == n)
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM user_prompts") } == n)
        print("import probes: \(Self.crafted.count) crafted files refused, \(n) prompts of one session imported once")
    }

    /// Records before their session (hand-assembled files) still import: keys are checked at commit.
    @Test func aRecordBeforeItsSessionImports() throws {
        let text = Self.header + "\n" + Self.prompt(0, session: "s") + "\n" + Self.session("s") + "\n"
        let store = try EngramStore.inMemory()
        let summary = try MemoryImporter(store: store.stores.portability).importData(Data(text.utf8))
        #expect(summary.totalInserted == 2)
    }
}
