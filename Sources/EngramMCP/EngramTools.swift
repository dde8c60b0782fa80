import EngramCode
import EngramCore
import EngramRuntime
import Foundation
package import MCP

/// The tool handlers: each reads its arguments, calls the engine, and answers with text
/// for the model plus the same data as structuredContent.
package struct EngramTools: Sendable {
    /// The engine, with the embedding model (if installed) loaded once per server and shared by search, learnings,
    /// the briefing's ranking and saved memories.
    let engine: Engine
    var engram: Engram { engine.engram }
    /// The project as hooks store it (not symlink-resolved), the default for every tool.
    let projectRoot: String
    let confinement: PathConfinement

    package init(engram: Engram, projectRoot: String) {
        self.engine = EngramRuntime.engine(engram)
        self.projectRoot = URL(fileURLWithPath: projectRoot).standardizedFileURL.path
        self.confinement = PathConfinement(root: projectRoot)
    }

    /// Runs one call. Unknown tools and bad arguments throw `MCPError.invalidParams`;
    /// anything else that fails becomes a tool result with `isError`.
    package func call(_ name: String, arguments: [String: Value]?) async throws -> CallTool.Result {
        do {
            guard let allowed = ToolCatalog.allowedArguments[name] else { throw ToolFailure.unknownTool(name) }
            let args = try ToolArguments(tool: name, values: arguments, allowed: allowed)
            let reply = try await dispatch(name, args)
            return CallTool.Result(
                content: [.text(text: reply.text, annotations: nil, _meta: nil)], structuredContent: Optional(reply.structured), isError: false)
        } catch let failure as ToolFailure {
            if failure.isProtocolError { throw failure.mcpError }
            return Self.errorResult(failure.errorDescription ?? "\(failure)")
        } catch let e as LearningsService.LearningError {
            return Self.errorResult(e.errorDescription ?? "\(e)")
        } catch let e as MemoryService.MemoryError {
            throw MCPError.invalidParams(e.errorDescription)
        } catch {
            engram.logger.error("mcp tool \(name) failed: \(error)")
            return Self.errorResult((error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
    }

    static func errorResult(_ message: String) -> CallTool.Result {
        CallTool.Result(
            content: [.text(text: message, annotations: nil, _meta: nil)], structuredContent: Optional(Value.object(["error": .string(message)])),
            isError: true)
    }

    struct Reply {
        var text: String
        var structured: Value
    }

    private func dispatch(_ name: String, _ a: ToolArguments) async throws -> Reply {
        switch name {
        case "search": return try search(a)
        case "timeline": return try timeline(a)
        case "get_observations": return try getObservations(a)
        case "save_memory": return try saveMemory(a)
        case "search_memories": return try searchMemories(a)
        case "recent_context": return try recentContext(a)
        case "function_map": return try functionMap(a)
        case "call_graph": return try callGraph(a)
        case "callers": return try callers(a)
        case "learnings": return try learnings(a)
        default:
            if let reply = try await functionTool(name, a) { return reply }
            throw ToolFailure.unknownTool(name)
        }
    }

    // MARK: arguments shared by several tools

    /// The project key for a `project` argument, confined to the server's root.
    func project(_ a: ToolArguments) throws -> String {
        guard let p = try a.string("project") else { return projectRoot }
        let r = try confinement.resolve(p)
        return r.relative.isEmpty ? projectRoot : projectRoot + "/" + r.relative
    }

    /// The forms a file may be stored under: relative to the root, or absolute.
    func fileKeys(_ path: String) throws -> (relative: String, candidates: [String]) {
        let r = try confinement.resolve(path)
        guard !r.relative.isEmpty else { throw ToolFailure.badArgument("`path` must name a file inside the project, not the root.") }
        var keys = [r.relative, projectRoot + "/" + r.relative, r.absolute]
        var seen = Set<String>()
        keys = keys.filter { seen.insert($0).inserted }
        return (r.relative, keys)
    }

    var now: Date { engram.clock.now() }

    // MARK: search → timeline → get_observations

    func search(_ a: ToolArguments) throws -> Reply {
        let text = try a.requiredString("query")
        let project = try project(a)
        let kind = try a.oneOf("kind", SearchService.Kind.allCases.map(\.rawValue)).flatMap(SearchService.Kind.init(rawValue:))
        let limit = try a.int("limit", range: 1...50) ?? 10
        let since: Date?
        do { since = try a.string("since").map { try Timestamp.since($0, now: now) } } catch {
            throw ToolFailure.badArgument("search: " + ((error as? LocalizedError)?.errorDescription ?? "bad `since`."))
        }
        let files = try (a.strings("files", max: 20) ?? []).map { try fileKeys($0) }
        let includeMemories = try a.bool("include_memories") ?? false
        let query = SearchService.Query(
            text: text, project: project, kinds: kind.map { [$0] } ?? [], since: since,
            limit: files.isEmpty ? limit : min(500, limit * 10), includeMemories: includeMemories)
        var hits = try engine.search(query)
        if !files.isEmpty {
            hits = hits.filter { hit in
                hit.files.contains { f in files.contains { k in k.candidates.contains(f) || f.hasSuffix("/" + k.relative) } }
            }
            hits = Array(hits.prefix(limit))
        }
        // The compact index the tool promises: id, time, title, files (relative to the project); the rest is a
        // `get_observations` away.
        let compact = hits.map { h in
            CompactHit(id: h.id, time: h.createdAt, title: h.title, files: h.files.map(relativeToProject))
        }
        let lines = compact.map { h in
            let files = h.files.isEmpty ? "" : "  [" + h.files.prefix(3).joined(separator: ", ") + "]"
            return "\(h.id)  \(Timestamp.relative(h.time, now: now))  \(h.title)\(files)"
        }
        let text2 =
            hits.isEmpty
            ? "No results for \"\(text)\". Try fewer or other words, or drop filters."
            : lines.joined(separator: "\n")
                + "\n\n\(hits.count) result(s). Next: `timeline` with an id for context, `get_observations` with ids for full records."
        return Reply(text: text2, structured: ["results": try ValueBridge.value(compact), "count": .int(hits.count)])
    }

    /// One search hit as the index shows it.
    struct CompactHit: Codable {
        var id: String
        var time: String
        var title: String
        var files: [String]
    }

    /// A stored path as the agent sees it: relative to the project root when inside it.
    func relativeToProject(_ path: String) -> String {
        path.hasPrefix(projectRoot + "/") ? String(path.dropFirst(projectRoot.count + 1)) : path
    }

    func timeline(_ a: ToolArguments) throws -> Reply {
        let id = try a.string("id")
        let time = try a.string("time")
        let before = try a.int("before", range: 0...50) ?? 5
        let after = try a.int("after", range: 0...50) ?? 5
        let anchor: TimelineService.Anchor
        switch (id, time) {
        case (let id?, nil):
            guard let n = Int64(id.trimmingCharacters(in: .whitespaces).drop(while: { $0 == "#" })), n > 0 else {
                throw ToolFailure.badArgument("timeline: `id` must be an observation id like \"#42\".")
            }
            anchor = .observation(n)
        case (nil, let t?):
            do { anchor = .time(try Timestamp.since(t, now: now)) } catch {
                throw ToolFailure.badArgument("timeline: `time` must be an ISO time like 2026-11-01T10:00Z or a relative one like 2h.")
            }
        default:
            throw ToolFailure.badArgument("timeline: give exactly one of `id` or `time`.")
        }
        let projectArg = try a.string("project") == nil ? nil : try project(a)
        let t: TimelineService.Timeline
        do {
            t = try engine.timeline(around: anchor, project: projectArg ?? (id == nil ? projectRoot : nil), before: before, after: after)
        } catch EngramError.notFound(let what) { throw ToolFailure.notFound("Not found: \(what)") }
        // Another project's record is answered as not found, never by naming that project (its absolute path).
        if let p = t.project, !isInside(p) {
            throw ToolFailure.notFound(
                "Not found: observation \(id.map { "#" + $0.drop(while: { $0 == "#" }) } ?? "") in this project. Use `search` to find observation ids."
            )
        }
        return Reply(text: t.render(now: now), structured: try ValueBridge.value(t))
    }

    func isInside(_ project: String) -> Bool {
        project == projectRoot || project.hasPrefix(projectRoot + "/")
    }

    func getObservations(_ a: ToolArguments) throws -> Reply {
        guard let ids = try a.strings("ids", max: 50), !ids.isEmpty else {
            throw ToolFailure.badArgument("get_observations: `ids` is required: an array of ids like \"#42\".")
        }
        var records: [Value] = []
        var texts: [String] = []
        let memoryIDs = ids.compactMap { id -> Int64? in
            let t = id.trimmingCharacters(in: .whitespaces)
            guard t.count > 1, t.first == "M" || t.first == "m" else { return nil }
            return Int64(t.dropFirst())
        }
        let memories = memoryIDs.isEmpty ? [] : try engine.memories(memoryIDs)
        for id in ids {
            let t = id.trimmingCharacters(in: .whitespaces)
            if t.count > 1, t.first == "M" || t.first == "m", let n = Int64(t.dropFirst()) {
                if let m = memories.first(where: { $0.id == "M\(n)" }), m.project.map(isInside) ?? true {
                    records.append(try ValueBridge.value(m))
                    texts.append(
                        "\(m.id) memory (\(Timestamp.relative(m.createdAt, now: now)))\n\(m.content)"
                            + (m.tags.isEmpty ? "" : "\ntags: " + m.tags.joined(separator: ", ")))
                } else {
                    records.append(["id": .string(t), "kind": "missing"])
                    texts.append("\(t): no such memory")
                }
                continue
            }
            let r = try engine.records([t])[0]
            if let p = r.project, !isInside(p) {
                // Another project's record: answered like a missing one, so ids cannot probe other projects.
                records.append(["id": .string(t), "kind": "missing", "title": .string("No record \(t) in this project")])
                texts.append("No record \(t) in this project")
                continue
            }
            records.append(try ValueBridge.value(r))
            texts.append(r.render(now: now))
        }
        return Reply(text: texts.joined(separator: "\n\n---\n\n"), structured: ["records": .array(records)])
    }

    // MARK: memories

    func saveMemory(_ a: ToolArguments) throws -> Reply {
        let text = try a.requiredString("text")
        let tags = try a.strings("tags", max: 20) ?? []
        let project = try project(a)
        let metadata = try a.object("metadata") ?? .object([:])
        let m = try engine.saveMemory(text: text, tags: tags, project: project, metadata: metadata, source: "mcp")
        return Reply(text: "Saved memory \(m.id).", structured: try ValueBridge.value(m))
    }

    func searchMemories(_ a: ToolArguments) throws -> Reply {
        let query = try a.requiredString("query", allowEmpty: true)
        let tags = try a.strings("tags", max: 20) ?? []
        let limit = try a.int("limit", range: 1...50) ?? 10
        let found = try engine.searchMemories(query, project: try project(a), tags: tags, limit: limit)
        let text =
            found.isEmpty
            ? "No saved memories match."
            : found.map { m in
                "\(m.id)  \(Timestamp.relative(m.createdAt, now: now))  \(m.content.prefix(300))"
                    + (m.tags.isEmpty ? "" : "  #" + m.tags.joined(separator: " #"))
            }.joined(separator: "\n")
        return Reply(text: text, structured: ["memories": try ValueBridge.value(found), "count": .int(found.count)])
    }

    // MARK: briefing and learnings

    func recentContext(_ a: ToolArguments) throws -> Reply {
        let budget = try a.int("budget", range: 200...8000)
        let b = try engine.briefing(project: try project(a), budget: budget)
        let text = b.text.isEmpty ? "engram has nothing recorded for this project yet." : b.text
        return Reply(text: text, structured: try ValueBridge.value(b))
    }

    func learnings(_ a: ToolArguments) throws -> Reply {
        let action = try a.oneOf("action", ["list", "add", "confirm"]) ?? ""
        let project = try project(a)
        switch action {
        case "list":
            let items = try engine.learnings(project: project)
            let text =
                items.isEmpty
                ? "No learnings for this project yet."
                : items.map { l in
                    "L\(l.id ?? 0)  [\(l.category), \(String(format: "%.2f", l.confidence))]  \(l.content)"
                }.joined(separator: "\n")
            return Reply(text: text, structured: ["learnings": try ValueBridge.value(items.map(LearningView.init)), "count": .int(items.count)])
        case "add":
            let content = try a.requiredString("content")
            guard let category = try a.oneOf("category", LearningRecord.categories) else {
                throw ToolFailure.badArgument("learnings add: `category` is required (\(LearningRecord.categories.joined(separator: ", "))).")
            }
            let outcome = try engine.addLearning(category: category, content: content, project: project, manual: false)
            switch outcome {
            case .added(let id): return Reply(text: "Added learning L\(id).", structured: ["id": .string("L\(id)"), "outcome": "added"])
            case .reinforced(let id):
                return Reply(
                    text: "Reinforced the existing learning L\(id) (same meaning).", structured: ["id": .string("L\(id)"), "outcome": "reinforced"])
            }
        case "confirm":
            let raw = try a.requiredString("id").trimmingCharacters(in: .whitespaces)
            guard let n = Int64(raw.drop(while: { $0 == "L" || $0 == "l" })) else {
                throw ToolFailure.badArgument("learnings confirm: `id` must look like \"L7\".")
            }
            let owner = try engine.learning(n)
            if let p = owner?.project, !isInside(p) { throw ToolFailure.notFound("No learning L\(n) in this project.") }
            try engine.confirmLearning(n)
            return Reply(text: "Confirmed L\(n): confidence is now 1.0.", structured: ["id": .string("L\(n)"), "outcome": "confirmed"])
        default:
            throw ToolFailure.badArgument("learnings: `action` is required: list, add or confirm.")
        }
    }

    struct LearningView: Codable {
        var id: String
        var category: String
        var content: String
        var confidence: Double
        var timesSeen: Int
        var project: String?
        var updatedAt: String
        init(_ l: LearningRecord) {
            id = "L\(l.id ?? 0)"; category = l.category; content = l.content; confidence = l.confidence
            timesSeen = l.timesSeen; project = l.project; updatedAt = l.updatedAt
        }
    }
}
