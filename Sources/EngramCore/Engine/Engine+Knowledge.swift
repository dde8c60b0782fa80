import Foundation

/// What agents and people teach engram on purpose: saved memories and learnings.
extension Engine {
    // MARK: Memories

    /// Saves a memory (`save_memory`): private text removed, tags normalized; embedded at once when the wiring can.
    @discardableResult
    public func saveMemory(
        text: String, tags: [String] = [], project: String?, metadata: JSONValue = .object([:]),
        source: String
    ) throws -> Memory {
        let memory = try MemoryService(engram).save(text: text, tags: tags, project: project, metadata: metadata, source: source)
        if let embed = wiring.memoryEmbedder, let number = memory.number { embed(number, memory.content) }
        return memory
    }

    /// Memories of `project` (and global ones) matching `text`, by keywords and, when wired, by meaning.
    public func searchMemories(_ text: String, project: String?, tags: [String] = [], limit: Int = 10, since: Date? = nil) throws -> [Memory] {
        try MemoryService(engram).search(text, project: project, tags: tags, limit: limit, queryEmbedder: wiring.queryEmbedder, since: since)
    }

    /// Memories by number, in the order asked; unknown numbers are left out.
    public func memories(_ numbers: [Int64]) throws -> [Memory] {
        try MemoryService(engram).fetch(numbers)
    }

    // MARK: Learnings

    /// The learnings service with this engine's similarity (by meaning when wired, else lexical).
    public var learningsService: LearningsService {
        var service = LearningsService(engram)
        if let similarity = wiring.learningSimilarity { service.similarity = similarity }
        return service
    }

    /// A project's learnings (and global ones), most confident first.
    public func learnings(project: String?, includeInactive: Bool = false, limit: Int = 100) throws -> [LearningRecord] {
        try learningsService.list(project: project, includeInactive: includeInactive, limit: limit)
    }

    /// Adds a learning, or reinforces the one it duplicates.
    @discardableResult
    public func addLearning(
        category: String, content: String, project: String?, sessionID: String? = nil,
        manual: Bool = false
    ) throws -> LearningsService.Outcome {
        try learningsService.add(category: category, content: content, project: project, sessionID: sessionID, manual: manual)
    }

    /// The learning with this number, active or not.
    public func learning(_ id: Int64) throws -> LearningRecord? { try engram.stores.learnings.learning(id) }

    public func confirmLearning(_ id: Int64) throws { try learningsService.confirm(id) }

    public func editLearning(_ id: Int64, content: String? = nil, category: String? = nil) throws {
        try learningsService.edit(id, content: content, category: category)
    }

    public func contradictLearning(_ id: Int64, sessionID: String? = nil, reason: String? = nil) throws {
        try learningsService.contradict(id, sessionID: sessionID, reason: reason)
    }

    public func forgetLearning(_ id: Int64) throws { try learningsService.forget(id) }
}
