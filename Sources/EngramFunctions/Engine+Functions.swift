import EngramCore
import EngramSandbox
import Foundation

extension Engine {
    /// The function library of `project`, running code in the sandbox configured for this data directory
    /// (`ENGRAM_SANDBOX_*`, docs/sandbox.md).
    package func functionLibrary(project: String) throws -> FunctionLibrary {
        let configuration = try SandboxConfiguration.fromEnvironment(engramHome: paths.home.path)
        return FunctionLibrary(store: engram.stores.functions, runner: SandboxRunner(configuration: configuration), project: project)
    }
}
