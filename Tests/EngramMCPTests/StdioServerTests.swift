import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// `engram mcp` over raw pipes: what a client that writes everything and closes stdin gets.
@Suite struct StdioServerTests {
    func serve(_ lines: [String], env: MCPTestEnv) throws -> (stdout: [JSONValue], stderr: String, status: Int32) {
        let p = Process()
        p.executableURL = EngramProcess.binary
        p.arguments = ["mcp", "--project", env.project.path]
        p.environment = ProcessInfo.processInfo.environment.merging(env.env) { $1 }
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data(lines.joined(separator: "\n").utf8 + Data("\n".utf8)))
        try inPipe.fileHandleForWriting.close()
        let box = EngramProcess.DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            box.data = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        let messages = String(decoding: out, as: UTF8.self).split(separator: "\n").map { (try? JSONValue.parse(String($0))) ?? .string(String($0)) }
        return (messages, String(decoding: box.data, as: UTF8.self), p.terminationStatus)
    }

    @Test func everyRequestWrittenBeforeEndOfInputIsAnswered() throws {
        let env = try MCPTestEnv()
        try env.seed()
        let r = try serve(
            [
                #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}"#,
                #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"token refresh"}}}"#,
                "   ",
                #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"nope","arguments":{}}}"#,
                #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
            ], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        // stdout carries JSON-RPC only.
        #expect(r.stdout.allSatisfy { $0["jsonrpc"] == "2.0" })
        let byID = Dictionary(r.stdout.compactMap { m in m["id"]?.intValue.map { ($0, m) } }) { a, _ in a }
        #expect(Set(byID.keys) == [1, 2, 3, 4, 5])
        #expect(byID[1]?["result"]?["serverInfo"]?["name"] == "engram")
        #expect(byID[2]?["result"]?["tools"]?.arrayValue?.count == 17)
        // Three observations and the learning about token refresh.
        #expect(byID[3]?["result"]?["structuredContent"]?["count"] == .number(4))
        #expect(byID[4]?["error"]?["code"] == .number(-32602))
    }

    @Test func garbageInputGetsAParseErrorAndTheServerKeepsGoing() throws {
        let env = try MCPTestEnv()
        let r = try serve(
            [
                "this is not json",
                #"{"jsonrpc":"2.0","id":7,"method":"ping"}"#,
            ], env: env)
        #expect(r.status == 0)
        #expect(r.stdout.contains { $0["error"]?["code"] == .number(-32700) })
        #expect(r.stdout.contains { $0["id"] == .number(7) && $0["result"] != nil })
    }
}
