import Testing

@testable import EngramCore

@Suite struct HeuristicLearningExtractorTests {
    @Test(arguments: [
        ("pytest -q tests/", ["test:pytest"]),
        ("cd app && python -m pytest -x", ["test:python -m pytest"]),
        ("CI=1 npm test", ["test:npm test"]),
        ("swift build && swift test --filter Worker", ["test:swift test"]),
        ("pip install requests==2.31 'httpx>=0.27' -r requirements.txt", ["dep:pip:requests", "dep:pip:httpx"]),
        ("npm install --save-dev @types/node@20 left-pad", ["dep:npm:@types/node", "dep:npm:left-pad"]),
        ("cargo add serde", ["dep:cargo:serde"]),
        ("pip install .", []),
        ("echo pytest", []),
        ("git commit -m 'swift test passes'", []),
    ])
    func factsFromOneCommand(command: String, keys: [String]) {
        #expect(HeuristicLearningExtractor.facts(command: command).map(\.key) == keys)
    }
}
