import Foundation

/// Readings of the searching, fetching and delegating tools, plus the fallback for unknown tools.
enum HeuristicLookups {
    // MARK: Grep / Glob

    static func grep(_ ctx: HeuristicContext) -> CompressedObservation {
        let pattern = ctx.inputText("pattern") ?? "?"
        let scope = scopeText(ctx)
        let files = filenames(ctx)
        let numFiles = ctx.response["numFiles"]?.intValue ?? files.count
        let mode = ctx.responseText("mode") ?? ctx.inputText("output_mode") ?? "files_with_matches"
        let content = ctx.responseText("content") ?? ctx.responseString ?? ""
        let numLines = ctx.response["numLines"]?.intValue
        var count: String
        if mode == "content" {
            let n = numLines ?? HeuristicText.lineCount(content)
            count = HeuristicText.plural(n, "matching line")
            if numFiles > 0 { count += " in " + HeuristicText.plural(numFiles, "file") }
        } else if mode == "count" {
            count = HeuristicText.plural(numFiles, "file")
        } else {
            count = numFiles == 0 ? "no matches" : HeuristicText.plural(numFiles, "file")
        }
        let head = "Searched '\(HeuristicText.oneLine(pattern, limit: 40))'" + scope
        var summary = head + ": " + count
        var listed = files
        if listed.isEmpty, mode == "content" {
            // "path:line:text" lines: collect the paths.
            for line in HeuristicText.lines(content).prefix(500) {
                if let colon = line.firstIndex(of: ":") {
                    let p = ctx.relative(String(line[..<colon]))
                    if !listed.contains(p) { listed.append(p) }
                }
            }
        }
        if !listed.isEmpty { summary += ": " + HeuristicText.nameList(listed, limit: 220) }
        let detail =
            mode == "content"
            ? HeuristicText.lines(content).prefix(25).map { ctx.relative(String($0)) }.joined(separator: "\n")
            : listed.prefix(40).joined(separator: "\n")
        return CompressedObservation(
            title: head + ": " + count, summary: summary, detail: detail,
            filesTouched: Array(listed.prefix(20)))
    }

    static func glob(_ ctx: HeuristicContext) -> CompressedObservation {
        let pattern = ctx.inputText("pattern") ?? ctx.inputText("path").map(ctx.relative) ?? "files"
        let files = filenames(ctx)
        let numFiles = ctx.response["numFiles"]?.intValue ?? files.count
        let truncated = ctx.response["truncated"]?.boolValue ?? false
        let scope = ctx.inputText("pattern") == nil ? "" : scopeText(ctx)
        let count = HeuristicText.plural(numFiles, "file") + (truncated ? "+" : "")
        let head = "Listed \(HeuristicText.oneLine(pattern, limit: 40))" + scope
        var summary = head + ": " + count
        if !files.isEmpty { summary += ": " + HeuristicText.nameList(files, limit: 230) }
        return CompressedObservation(
            title: head + ": " + count, summary: summary,
            detail: files.prefix(50).joined(separator: "\n"))
    }

    private static func scopeText(_ ctx: HeuristicContext) -> String {
        var s = ""
        if let path = ctx.inputText("path") {
            let rel = ctx.relative(path)
            if rel != "." { s += " in " + rel + (rel.hasSuffix("/") || rel.contains(".") ? "" : "/") }
        }
        if let g = ctx.inputText("glob") ?? ctx.inputText("type") { s += " (\(g))" }
        return s
    }

    private static func filenames(_ ctx: HeuristicContext) -> [String] {
        if let list = ctx.response["filenames"]?.arrayValue {
            return list.compactMap { $0.textValue.map(ctx.relative) }
        }
        if let s = ctx.responseString, ctx.event.toolName == "Glob" || ctx.inputText("output_mode") != "content" {
            return HeuristicText.lines(s).map { $0.blankTrimmed }
                .filter { !$0.isEmpty && !$0.hasPrefix("Found ") && !$0.hasPrefix("No files") }.map(ctx.relative)
        }
        return []
    }

    // MARK: Web

    static func webFetch(_ ctx: HeuristicContext) -> CompressedObservation {
        let url = ctx.inputText("url") ?? ctx.responseText("url") ?? "a URL"
        let shortURL = url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        let code = ctx.response["code"]?.intValue
        let result = ctx.responseText("result") ?? ctx.responseString ?? ""
        var title = "Fetched " + HeuristicText.clip(shortURL, limit: 60)
        if let code, code >= 400 { title += " (\(code))" }
        var summary = ""
        if let prompt = ctx.inputText("prompt") { summary += "Asked: " + HeuristicText.oneLine(prompt, limit: 100) + ". " }
        summary += result.isEmpty ? "No result." : HeuristicText.firstSentence(result, limit: 180)
        return CompressedObservation(
            title: title, summary: summary,
            detail: HeuristicText.lines(result).prefix(25).map(String.init).joined(separator: "\n"))
    }

    static func webSearch(_ ctx: HeuristicContext) -> CompressedObservation {
        let query = ctx.inputText("query") ?? ctx.responseText("query") ?? "?"
        var titles: [String] = []
        collectTitles(ctx.response["results"], into: &titles)
        let title =
            "Web search '\(HeuristicText.oneLine(query, limit: 50))'" + (titles.isEmpty ? "" : ": \(HeuristicText.plural(titles.count, "result"))")
        let summary =
            titles.isEmpty
            ? "Searched the web for '\(query)'." + (ctx.responseString.map { " " + HeuristicText.firstSentence($0, limit: 160) } ?? "")
            : "Top results: " + HeuristicText.nameList(titles, limit: 260)
        return CompressedObservation(title: title, summary: summary, detail: titles.prefix(15).joined(separator: "\n"))
    }

    private static func collectTitles(_ value: JSONValue?, into out: inout [String]) {
        guard let value, out.count < 30 else { return }
        switch value {
        case .array(let a): for v in a { collectTitles(v, into: &out) }
        case .object(let o):
            if let t = o["title"]?.stringValue { out.append(HeuristicText.oneLine(t, limit: 100)) }
            if let c = o["content"] { collectTitles(c, into: &out) }
        default: break
        }
    }

    // MARK: Task (subagents)

    static func task(_ ctx: HeuristicContext) -> CompressedObservation {
        let desc = ctx.inputText("description") ?? HeuristicText.firstSentence(ctx.inputText("prompt") ?? "", limit: 60)
        let agent = ctx.inputText("subagent_type") ?? "subagent"
        var text = ""
        if let parts = ctx.response["content"]?.arrayValue {
            text = parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        } else {
            text = ctx.responseText("content") ?? ctx.responseString ?? ctx.responseText("result") ?? ""
        }
        let title = "Subagent (\(agent)): " + (desc.isEmpty ? "task" : desc)
        var summary = text.isEmpty ? "No report." : "Reported: " + HeuristicText.firstSentence(text, limit: 220)
        if let tokens = ctx.response["totalTokens"]?.intValue { summary += " (\(tokens) tokens)" }
        return CompressedObservation(
            title: title, summary: summary,
            detail: HeuristicText.lines(text).prefix(30).map(String.init).joined(separator: "\n"))
    }

    // MARK: TodoWrite

    static func todoWrite(_ ctx: HeuristicContext) -> CompressedObservation {
        let todos = ctx.input["todos"]?.arrayValue ?? ctx.response["newTodos"]?.arrayValue ?? []
        var done = 0, active: [String] = [], pending = 0
        var lines: [String] = []
        for t in todos {
            let content = t.heuristicText("content") ?? "?"
            let status = t.heuristicText("status") ?? "pending"
            switch status {
            case "completed": done += 1
            case "in_progress": active.append(content)
            default: pending += 1
            }
            let mark = status == "completed" ? "[x]" : (status == "in_progress" ? "[~]" : "[ ]")
            lines.append(mark + " " + content)
        }
        let title = "Updated todos: \(done)/\(todos.count) done" + (active.first.map { ", now: \($0)" } ?? "")
        let summary =
            "\(done) done, \(active.count) in progress, \(pending) pending."
            + (active.isEmpty ? "" : " In progress: " + HeuristicText.nameList(active, limit: 200) + ".")
        return CompressedObservation(title: title, summary: summary, detail: lines.joined(separator: "\n"))
    }

    // MARK: MCP and unknown tools

    static func mcp(_ ctx: HeuristicContext) -> CompressedObservation {
        let parts = ctx.event.toolName.components(separatedBy: "__")
        let server = parts.count > 1 ? parts[1] : "mcp"
        let tool = parts.count > 2 ? parts[2...].joined(separator: "__") : ctx.event.toolName
        return described(ctx, name: "\(server).\(tool)")
    }

    static func generic(_ ctx: HeuristicContext) -> CompressedObservation {
        described(ctx, name: ctx.event.toolName.isEmpty ? "Unknown tool" : ctx.event.toolName)
    }

    private static func described(_ ctx: HeuristicContext, name: String) -> CompressedObservation {
        let argument = firstArgument(ctx.input)
        let title = name + (argument.map { ": " + $0 } ?? "")
        let responseText = responseText(ctx.response)
        var summary = name
        if let args = ctx.input.objectValue, !args.isEmpty {
            let shown = args.keys.sorted().prefix(4).map { key -> String in
                "\(key)=" + HeuristicText.oneLine(args[key]?.textValue ?? args[key]?.serialized() ?? "", limit: 40)
            }
            summary += "(" + shown.joined(separator: ", ") + ")"
        }
        summary += responseText.isEmpty ? "." : " → " + HeuristicText.firstSentence(responseText, limit: 180)
        var files: [String] = []
        for key in ["file_path", "path", "filePath", "notebook_path"] {
            if let p = ctx.inputText(key) { files.append(ctx.relative(p)) }
        }
        return CompressedObservation(
            title: title, summary: summary,
            detail: HeuristicText.lines(responseText).prefix(25).map(String.init).joined(separator: "\n"),
            filesTouched: files)
    }

    /// The most telling argument: a well-known key if present, else the first short string.
    private static func firstArgument(_ input: JSONValue) -> String? {
        guard let o = input.objectValue else { return input.textValue.map { HeuristicText.oneLine($0, limit: 50) } }
        for key in ["title", "name", "query", "file_path", "path", "url", "command", "pattern", "description", "id"] {
            if let v = o[key]?.textValue, !v.isEmpty { return HeuristicText.oneLine(v, limit: 50) }
        }
        for key in o.keys.sorted() {
            if let v = o[key]?.stringValue, !v.isEmpty, v.count <= 200 { return HeuristicText.oneLine(v, limit: 50) }
        }
        return nil
    }

    /// Text of a tool result: a string, an MCP content array, or a `result`/`text` member.
    private static func responseText(_ response: JSONValue) -> String {
        switch response {
        case .string(let s): return s
        case .array(let a):
            return a.compactMap { $0["text"]?.stringValue ?? $0.stringValue }.joined(separator: "\n")
        case .object(let o):
            if let content = o["content"], case .array = content { return responseText(content) }
            for key in ["result", "text", "output", "message", "content"] {
                if let s = o[key]?.textValue { return s }
            }
            return ""
        default:
            return response.textValue ?? ""
        }
    }
}
