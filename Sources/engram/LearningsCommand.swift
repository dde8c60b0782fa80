import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct LearningsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learnings",
        abstract: "Project knowledge engram has learned: list, add, confirm, edit, forget.",
        subcommands: [List.self, Add.self, Confirm.self, Edit.self, Forget.self],
        defaultSubcommand: List.self
    )

    static func parseID(_ s: String) throws -> Int64 {
        guard let n = Int64(s.hasPrefix("L") || s.hasPrefix("l") ? String(s.dropFirst()) : s) else {
            throw ValidationError("\"\(s)\" is not a learning id (like L7 or 7).")
        }
        return n
    }

    struct LearningOut: Encodable {
        var id: String; var category: String; var content: String; var confidence: Double; var timesSeen: Int
        var isManual: Bool; var isActive: Bool; var project: String?; var updatedAt: String
        init(_ l: LearningRecord) {
            id = "L\(l.id ?? 0)"; category = l.category; content = l.content; confidence = l.confidence; timesSeen = l.timesSeen
            isManual = l.isManual; isActive = l.isActive; project = l.project; updatedAt = l.updatedAt
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List active learnings, most confident first.")
        @OptionGroup var project: ProjectOption
        @Flag(help: "Include forgotten learnings.") var all = false
        @OptionGroup var output: OutputOptions
        func run() async throws {
            try await guarded {
                let items = try openEngine().learnings(project: project.root, includeInactive: all)
                if output.json { try Terminal.printJSON(items.map(LearningOut.init)); return }
                if items.isEmpty { print("No learnings yet. `engram learnings add --category convention \"…\"` adds one."); return }
                for l in items {
                    let flags = (l.isManual ? " manual" : "") + (l.isActive ? "" : " forgotten")
                    print(
                        "\(Terminal.bold("L\(l.id ?? 0)")) [\(String(format: "%.2f", l.confidence))] \(l.category.capitalized): \(l.content)\(Terminal.dim(flags))"
                    )
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a learning by hand (confidence 1.0).")
        @Option(help: "architecture | convention | gotcha | dependency | pattern") var category: String
        @Argument(help: "The learning, one sentence.") var text: [String]
        @OptionGroup var project: ProjectOption
        @Flag(help: "Applies to every project.") var global = false
        @OptionGroup var output: OutputOptions
        func run() async throws {
            try await guarded {
                let outcome = try openEngine().addLearning(
                    category: category, content: text.joined(separator: " "),
                    project: global ? nil : project.root, manual: true)
                let (verb, id): (String, Int64) =
                    switch outcome {
                    case .added(let i): ("added", i);
                    case .reinforced(let i): ("reinforced", i)
                    }
                if output.json { try Terminal.printJSON(["id": "L\(id)", "outcome": verb]) } else { print("L\(id) \(verb).") }
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a learning: confidence 1.0.")
        @Argument(help: "Learning id, like L7.") var id: String
        func run() async throws {
            try await guarded {
                try openEngine().confirmLearning(try LearningsCommand.parseID(id)); print("Confirmed \(id).")
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a learning's text or category.")
        @Argument(help: "Learning id, like L7.") var id: String
        @Option(help: "New category.") var category: String?
        @Argument(help: "New text.") var text: [String] = []
        func validate() throws {
            if category == nil && text.isEmpty { throw ValidationError("Give new text, --category, or both.") }
        }
        func run() async throws {
            try await guarded {
                try openEngine().editLearning(
                    try LearningsCommand.parseID(id), content: text.isEmpty ? nil : text.joined(separator: " "), category: category)
                print("Edited \(id).")
            }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a learning (soft delete).")
        @Argument(help: "Learning id, like L7.") var id: String
        func run() async throws {
            try await guarded {
                try openEngine().forgetLearning(try LearningsCommand.parseID(id)); print("Forgot \(id).")
            }
        }
    }
}
