import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process environment, read from `environ` directly. `ProcessInfo.processInfo.environment` first builds
/// ProcessInfo itself, which a hook process, started on every tool call, pays for each time.
public enum ProcessEnvironment {
    /// Every `NAME=value` entry; where a name repeats, the first wins, as with `getenv`.
    public static func current() -> [String: String] {
        #if canImport(Glibc)
            var env: [String: String] = [:]
            var entry = environ
            while let pointer = entry.pointee {
                let text = String(cString: pointer)
                if let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                    let name = String(text[..<equals])
                    if env[name] == nil { env[name] = String(text[text.utf8.index(after: equals)...]) }
                }
                entry += 1
            }
            return env
        #else
            return ProcessInfo.processInfo.environment
        #endif
    }
}
