import EngramCode
import EngramCore
import Foundation
internal import MCP

/// Code-intelligence tools: stored maps first (CodeQueries), a live analysis of the file
/// when nothing is stored for it yet.
extension EngramTools {
    static let maxLiveFileBytes = 4 << 20

    func functionMap(_ a: ToolArguments) throws -> Reply {
        let project = try project(a)
        guard let path = try a.string("path") else {
            let files = try engine.codeFiles(project: project)
            let text =
                files.isEmpty
                ? "No stored function maps for this project yet. Pass `path` to analyse a file now."
                : "Files with a stored function map:\n" + files.joined(separator: "\n")
            return Reply(text: text, structured: ["files": .array(files.map(Value.string)), "count": .int(files.count)])
        }
        let keys = try fileKeys(path)
        for key in keys.candidates {
            if let map = try engine.functionMap(project: project, file: key).first {
                return Reply(
                    text: render(
                        map.file, map.symbols.map { ($0.qualifiedName, $0.signature, $0.lineStart, $0.lineEnd, $0.changeType) },
                        source: "stored \(map.snapshotAt)"),
                    structured: [
                        "file": .string(map.file), "source": "stored", "snapshotAt": .string(map.snapshotAt),
                        "symbols": try ValueBridge.value(map.symbols),
                    ])
            }
        }
        let analysis = try analyse(keys.relative)
        let symbols = analysis.symbols.map {
            CodeQueries.Symbol(
                qualifiedName: $0.qualifiedName, kind: $0.kind.rawValue, parentClass: $0.parentClass, signature: $0.signature,
                docstring: $0.docstring, lineStart: $0.lineStart, lineEnd: $0.lineEnd, changeType: nil)
        }
        return Reply(
            text: render(keys.relative, symbols.map { ($0.qualifiedName, $0.signature, $0.lineStart, $0.lineEnd, nil) }, source: "analysed now"),
            structured: ["file": .string(keys.relative), "source": "live", "symbols": try ValueBridge.value(symbols)])
    }

    func callGraph(_ a: ToolArguments) throws -> Reply {
        let project = try project(a)
        let function = try a.string("function")
        let limit = try a.int("limit", range: 1...2000) ?? 200
        guard let path = try a.string("path") else {
            let edges = try engine.callEdges(project: project, function: function, limit: limit)
            return try edgesReply(edges, title: "Stored call graph", source: "stored")
        }
        let keys = try fileKeys(path)
        for key in keys.candidates {
            let edges = try engine.callEdges(project: project, file: key, function: function, limit: limit)
            let mapped = try !engine.functionMap(project: project, file: key).isEmpty
            if !edges.isEmpty || mapped {
                return try edgesReply(edges, title: "Calls from \(key)", source: "stored")
            }
        }
        let analysis = try analyse(keys.relative)
        var calls = analysis.calls
        if analysis.language == .python {
            var resolver = ProjectResolver(root: URL(fileURLWithPath: confinement.root), files: [analysis])
            calls = resolver.resolveCalls(of: analysis)
        }
        if let function {
            calls = calls.filter { $0.callerName == function || $0.callerName.hasSuffix("." + function) }
        }
        let edges = calls.prefix(limit).map {
            CodeQueries.CallEdge(
                callerFile: keys.relative, callerName: $0.callerName, calleeName: $0.calleeName,
                calleeResolved: $0.calleeResolved, resolution: $0.resolution.rawValue, lineNumber: $0.lineNumber,
                snapshotAt: engram.now)
        }
        return try edgesReply(Array(edges), title: "Calls from \(keys.relative) (analysed now)", source: "live")
    }

    func callers(_ a: ToolArguments) throws -> Reply {
        let name = try a.requiredString("name").trimmingCharacters(in: .whitespaces)
        let limit = try a.int("limit", range: 1...2000) ?? 200
        let edges = try engine.callers(of: name, project: try project(a), limit: limit)
        if edges.isEmpty {
            return Reply(
                text: "No stored call sites of \(name). Code intelligence covers files engram has seen the agent edit or read.",
                structured: ["callers": .array([]), "count": 0])
        }
        let text = edges.map { "\($0.callerFile):\($0.lineNumber.map(String.init) ?? "?")  \($0.callerName) → \($0.calleeName)" }
            .joined(separator: "\n")
        return Reply(text: "Callers of \(name):\n" + text, structured: ["callers": try ValueBridge.value(edges), "count": .int(edges.count)])
    }

    private func edgesReply(_ edges: [CodeQueries.CallEdge], title: String, source: String) throws -> Reply {
        let text =
            edges.isEmpty
            ? "\(title): no calls recorded."
            : title + ":\n"
                + edges.map { e in
                    let target = e.calleeResolved.map { " (\($0))" } ?? ""
                    return "  \(e.callerName) → \(e.calleeName)\(target)  [\(e.resolution)] line \(e.lineNumber.map(String.init) ?? "?")"
                }.joined(separator: "\n")
        return Reply(text: text, structured: ["edges": try ValueBridge.value(edges), "count": .int(edges.count), "source": .string(source)])
    }

    private func render(_ file: String, _ symbols: [(String, String, Int, Int, String?)], source: String) -> String {
        guard !symbols.isEmpty else { return "\(file) (\(source)): no functions or classes." }
        return "\(file) (\(source)):\n"
            + symbols.map { name, sig, start, end, change in
                let mark = change.map { $0 == "unchanged" ? "" : " [\($0)]" } ?? ""
                return "  \(start)-\(end)  \(name): \(sig)\(mark)"
            }.joined(separator: "\n")
    }

    /// Reads and analyses a project file now (Python or Swift).
    private func analyse(_ relative: String) throws -> CodeFileAnalysis {
        guard let language = CodeLanguage(path: relative) else {
            throw ToolFailure.failed("\(relative): engram analyses Python (.py) and Swift (.swift) files only.")
        }
        let url = URL(fileURLWithPath: confinement.root).appendingPathComponent(relative)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else {
            throw ToolFailure.notFound("No file \(relative) in the project, and no stored map for it.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= Self.maxLiveFileBytes else { throw ToolFailure.failed("\(relative) is too large to analyse (\(size) bytes).") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ToolFailure.failed("Cannot read \(relative): \(error.localizedDescription)") }
        do {
            switch language {
            case .python: return try PythonExtractor().extract(source: data, path: relative)
            case .swift: return try SwiftExtractor().extract(source: data, path: relative)
            }
        } catch {
            throw ToolFailure.failed("\(relative) could not be analysed: \(error.localizedDescription)")
        }
    }
}
