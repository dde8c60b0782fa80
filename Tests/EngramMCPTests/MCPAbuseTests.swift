import EngramCore
import EngramMCP
import EngramTestSupport
import Foundation
import Testing

/// Abusive MCP messages against a real `engram mcp` process, written as raw JSON-RPC lines: every request
/// gets an answer (a client must never wait forever), errors say what is wrong in plain words, and nothing
/// names another project. The count of messages and answers is printed.
@Suite struct MCPAbuseTests {
    static func line(_ obj: [String: Any]) -> Data {
        var d = try! JSONSerialization.data(withJSONObject: obj)
        d.append(UInt8(ascii: "\n"))
        return d
    }

    @Test func abusiveMessagesAreAnsweredAndLeakNothing() throws {
        let env = try MCPTestEnv()
        _ = try env.seed()
        var input = Data()
        input += Self.line([
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": [
                "protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "abuse", "version": "1"],
            ],
        ])
        input += Self.line(["jsonrpc": "2.0", "method": "notifications/initialized"])
        // Positional params, then a bare value: invalid params, said plainly.
        input += Self.line(["jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": ["search", ["query": "x"]]])
        input += Self.line(["jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": "search"])
        // Over the message limit: refused with an answer to its id, and the stream goes on.
        let huge = String(repeating: "a", count: BlockingStdioTransport.maxMessageBytes + 1024)
        input +=
            Data(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"search","arguments":{"query":""#.utf8)
            + Data(huge.utf8) + Data("\"}}}\n".utf8)
        // Another project's observation (#5): not found, its path never named.
        input += Self.line(["jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": ["name": "timeline", "arguments": ["id": "#5"]]])
        input += Self.line(["jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": ["name": "get_observations", "arguments": ["ids": ["#5"]]]])
        input += Data("this is not json\n".utf8)
        input += Self.line(["jsonrpc": "2.0", "id": 7, "method": "tools/list"])
        let requests = 7

        var childEnv = ProcessInfo.processInfo.environment
        childEnv.removeValue(forKey: "ENGRAM_DISABLED")
        for (k, v) in env.env { childEnv[k] = v }
        let (p, out, err) = try EngramProcess.start(["mcp", "--project", env.project.path], env: childEnv, cwd: env.project, stdin: input)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()

        var byID: [Int: [String: Any]] = [:]
        var unidentified = 0
        for l in stdout.split(separator: UInt8(ascii: "\n")) {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(l)) as? [String: Any] else { continue }
            if let id = obj["id"] as? Int { byID[id] = obj } else { unidentified += 1 }
        }
        print("mcp abuse: \(requests) requests and 1 junk line sent, \(byID.count) answered by id, \(unidentified) without")
        for id in 1...requests { #expect(byID[id] != nil, "request \(id) got no answer") }
        func error(_ id: Int) -> (code: Int, message: String)? {
            guard let e = byID[id]?["error"] as? [String: Any] else { return nil }
            return (e["code"] as? Int ?? 0, e["message"] as? String ?? "")
        }
        #expect(error(2)?.code == -32602 && error(2)?.message.contains("named arguments") == true, "\(String(describing: error(2)))")
        #expect(error(3)?.code == -32602, "\(String(describing: error(3)))")
        #expect(error(4)?.code == -32600 && error(4)?.message.contains("too large") == true, "\(String(describing: error(4)))")
        let text = String(decoding: stdout, as: UTF8.self)
        #expect(!text.contains(env.otherProjectKey), "another project's path reached the client")
        #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("DecodingError"))
        #expect((byID[7]?["result"] as? [String: Any])?["tools"] != nil, "the server stopped answering after the abuse")
    }
}
