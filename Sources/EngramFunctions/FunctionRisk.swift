import EngramCode
import Foundation

/// The static analysis of a function: a risk score with its reasons, and whether the code is obviously hostile.
/// It advises (and refuses the obvious); the sandbox is the boundary, and contains whatever this misses.
package struct FunctionRisk: Sendable, Hashable, Codable {
    /// 0 (nothing risky seen) to 100.
    package var score: Int
    package var findings: [String]
    /// Reaches for the interpreter's internals (`__subclasses__`, `__globals__`, `__builtins__`, `__code__`) or
    /// `ctypes`: runs are refused unless the caller allows risky code.
    package var hostile: Bool

    /// Modules a pure function plausibly needs; anything else is a finding.
    package static let allowedModules: Set<String> = [
        "math", "cmath", "decimal", "fractions", "statistics", "random", "re", "string", "json", "itertools", "functools",
        "operator", "collections", "collections.abc", "heapq", "bisect", "datetime", "time", "dataclasses", "typing", "enum",
        "textwrap", "unicodedata", "hashlib", "base64", "copy", "numbers", "abc", "uuid", "struct", "array", "binascii", "zlib",
        "calendar", "difflib", "html", "zoneinfo",
    ]
    static let dangerousModules: Set<String> = [
        "os", "sys", "subprocess", "socket", "ctypes", "importlib", "shutil", "pathlib", "pickle", "marshal", "signal",
        "multiprocessing", "threading", "builtins", "inspect", "gc", "code", "pty", "fcntl", "mmap", "resource", "urllib",
        "http", "ssl", "asyncio", "io", "tempfile", "glob", "posix", "_posixsubprocess",
    ]
    static let escapeDunders: Set<String> = ["__subclasses__", "__globals__", "__builtins__", "__code__", "__closure__"]
    static let riskyDunders: Set<String> = [
        "__class__", "__base__", "__bases__", "__mro__", "__dict__", "__getattribute__", "__func__", "__self__", "__import__",
        "__reduce__", "__reduce_ex__", "__loader__", "__spec__", "__init_subclass__", "__getattr__",
    ]
    static let dynamicCode: Set<String> = ["eval", "exec", "compile", "__import__"]
    static let introspection: Set<String> = ["globals", "locals", "vars", "breakpoint", "memoryview"]

    package init(score: Int, findings: [String], hostile: Bool) {
        self.score = score
        self.findings = findings
        self.hostile = hostile
    }

    package static func assess(_ f: PythonFunctionFacts) -> FunctionRisk {
        var score = 0
        var findings: [String] = []
        var hostile = false
        func add(_ points: Int, _ text: String) {
            score += points
            findings.append(text)
        }
        for m in f.importedModules {
            let root = String(m.split(separator: ".").first ?? "")
            if allowedModules.contains(m) || allowedModules.contains(root) { continue }
            if root == "ctypes" { hostile = true }
            add(dangerousModules.contains(root) ? 30 : 15, "imports \(m) (outside the allow-list)")
        }
        for d in f.dunderAttributes {
            if escapeDunders.contains(d) {
                hostile = true; add(40, "reaches \(d)")
            } else if riskyDunders.contains(d) {
                add(25, "accesses \(d)")
            }
        }
        for s in f.dunderStrings {
            let inner = s.trimmingCharacters(in: CharacterSet(charactersIn: "'\"rbfuRBFU"))
            if escapeDunders.contains(where: { inner.contains($0) }) { hostile = true }
            add(25, "a string naming a dunder: \(s)")
        }
        for name in dynamicCode.sorted() where f.namesUsed.contains(name) { add(30, "uses \(name)") }
        if f.namesUsed.contains("open") { add(10, "uses open") }
        for name in introspection.sorted() where f.namesUsed.contains(name) { add(15, "uses \(name)") }
        if f.dynamicAttributeCalls > 0 {
            add(20 * min(f.dynamicAttributeCalls, 3), "getattr/setattr with a computed name (\(f.dynamicAttributeCalls))")
        }
        return FunctionRisk(score: min(score, 100), findings: findings, hostile: hostile)
    }
}
