/// What the next session is told: layers within a token budget, and the text itself.
public struct Briefing: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        public var name: String
        /// Tokens this layer could use: its share of the budget plus what earlier layers left.
        public var available: Int
        public var allocation: Int
        public var tokens: Int
        public var items: Int
        public var text: String
    }

    public var project: String
    public var budget: Int
    public var tokens: Int
    public var layers: [Layer]
    public var text: String
    public var generatedAt: String
}
