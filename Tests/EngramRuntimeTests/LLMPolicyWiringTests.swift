import EngramCore
import EngramRuntime
import Testing

/// The worker's LLM stack is built from `LLMPolicy` and nothing else: the switch off means no provider at all.
@Suite struct LLMPolicyWiringTests {
    @Test func theSwitchOffLeavesTheWorkerWithNoProviderWhateverTheKeys() throws {
        let env = ["CLAUDECODE": "1", "ANTHROPIC_API_KEY": "sk-ant-test", "OPENAI_API_KEY": "sk-test"]
        #expect(LLMServices.configuration(config: try EngramConfig(env: env), env: env)?.kind == .anthropic)
        var off = env
        off["ENGRAM_LLM_ENABLED"] = "false"
        #expect(LLMServices.configuration(config: try EngramConfig(env: off), env: off) == nil)
        #expect(LLMServices.configuration(config: try EngramConfig(fileValues: ["llm.enabled": "0"]), env: env) == nil)
        // The base URL the agent points its own client at is where the worker's requests go too, and the policy says so.
        var proxied = env
        proxied["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"
        let policy = LLMPolicy.resolve(config: try EngramConfig(env: proxied), env: proxied)
        #expect(LLMServices.configuration(config: try EngramConfig(env: proxied), env: proxied)?.baseURL?.absoluteString == policy.baseURL)
    }
}
