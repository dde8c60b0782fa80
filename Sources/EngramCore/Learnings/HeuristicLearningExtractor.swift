import Foundation

/// Proposes learnings without a model, conservatively: only facts read from shell commands
/// (how the project runs its tests, which packages it installs) and only when the same fact
/// also appears in an earlier session of the project, so one-off commands never become knowledge.
public struct HeuristicLearningExtractor: Sendable {
    public struct Candidate: Sendable, Hashable {
        public var category: String
        public var content: String
        /// What makes two candidates the same fact ("test:swift test", "dep:pip:requests").
        public var key: String
    }

    /// Earlier sessions of the project searched for the same fact.
    public var lookbackSessions: Int

    public init(lookbackSessions: Int = 20) {
        self.lookbackSessions = max(1, lookbackSessions)
    }

    /// Facts of `sessionID` that an earlier session of its project showed too.
    public func extract(sessionID: String, engram: Engram) throws -> [Candidate] {
        guard let project = try engram.stores.sessions.session(sessionID)?.project else { return [] }
        let mine = Self.facts(Self.commands(try engram.stores.queue.payloads(tool: "Bash", sessionID: sessionID)))
        guard !mine.isEmpty else { return [] }
        let earlier = try engram.stores.queue.payloads(tool: "Bash", project: project, latestSessions: lookbackSessions, excluding: sessionID)
        let seenBefore = Set(Self.facts(Self.commands(earlier)).map(\.key))
        return mine.filter { seenBefore.contains($0.key) }
    }

    /// The shell commands in Bash calls' payloads.
    static func commands(_ payloads: [String]) -> [String] {
        payloads.compactMap { (try? JSONValue.parse($0))?["tool_input"]?["command"]?.textValue }
    }

    /// The distinct facts in `commands`, in first-seen order.
    public static func facts(_ commands: [String]) -> [Candidate] {
        var seen = Set<String>()
        var out: [Candidate] = []
        for command in commands {
            for c in facts(command: command) where seen.insert(c.key).inserted { out.append(c) }
        }
        return out
    }

    static let testRunners: [[String]] = [
        ["python", "-m", "pytest"], ["python3", "-m", "pytest"], ["pytest"], ["swift", "test"], ["npm", "test"], ["npm", "run", "test"],
        ["yarn", "test"], ["pnpm", "test"], ["cargo", "test"], ["go", "test"], ["make", "test"], ["bundle", "exec", "rspec"],
        ["mvn", "test"], ["gradle", "test"], ["./gradlew", "test"], ["uv", "run", "pytest"], ["tox"], ["npx", "jest"], ["npx", "vitest"],
    ]

    static let installers: [(prefix: [String], manager: String)] = [
        (["pip", "install"], "pip"), (["pip3", "install"], "pip"), (["python", "-m", "pip", "install"], "pip"),
        (["python3", "-m", "pip", "install"], "pip"), (["uv", "add"], "uv"), (["uv", "pip", "install"], "pip"), (["poetry", "add"], "poetry"),
        (["npm", "install"], "npm"), (["npm", "i"], "npm"), (["yarn", "add"], "yarn"), (["pnpm", "add"], "pnpm"),
        (["cargo", "add"], "cargo"), (["go", "get"], "go"), (["gem", "install"], "gem"), (["bundle", "add"], "bundler"),
    ]

    /// Facts in one shell command line (which may chain several commands).
    static func facts(command: String) -> [Candidate] {
        var out: [Candidate] = []
        let pieces = command.components(separatedBy: CharacterSet(charactersIn: ";|&\n")).map { $0.blankTrimmed }
        for piece in pieces where !piece.isEmpty {
            var words = piece.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            // Leading VAR=value assignments and `cd x` do not change what runs.
            while let first = words.first, first.contains("="), !first.hasPrefix("-") { words.removeFirst() }
            guard !words.isEmpty else { continue }
            if let runner = testRunners.first(where: { words.starts(with: $0) }) {
                let name = runner.joined(separator: " ")
                out.append(Candidate(category: "convention", content: "Tests are run with `\(name)`.", key: "test:\(name)"))
                continue
            }
            if let installer = installers.first(where: { words.starts(with: $0.prefix) }) {
                for arg in words.dropFirst(installer.prefix.count) {
                    guard let package = packageName(arg) else { continue }
                    out.append(
                        Candidate(
                            category: "dependency", content: "The project uses the \(installer.manager) package `\(package)`.",
                            key: "dep:\(installer.manager):\(package.lowercased())"))
                }
            }
        }
        return out
    }

    /// A package name from an install argument, without version pins; nil for flags, paths and requirement files.
    static func packageName(_ arg: String) -> String? {
        let trimmed = arg.trimming(charactersIn: "\"'")
        guard !trimmed.isEmpty, !trimmed.hasPrefix("-"), !trimmed.hasPrefix("."), !trimmed.hasPrefix("/"), !trimmed.hasSuffix(".txt") else {
            return nil
        }
        var name = trimmed
        if !name.contains("/") || name.hasPrefix("@") {
            // requests==2.31, requests>=2, left-pad@1.3, @scope/pkg@2 → the bare name
            if let cut = name.firstIndex(where: { "=<>~!;[".contains($0) }) { name = String(name[..<cut]) }
            if let at = name.lastIndex(of: "@"), at != name.startIndex { name = String(name[..<at]) }
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./@"))
        guard !name.isEmpty, name.count <= 100, name.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return nil }
        return name
    }
}
