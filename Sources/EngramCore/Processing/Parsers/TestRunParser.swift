import Foundation

/// What a test or build run reported, read from its console output.
struct TestRunSummary: Equatable {
    struct Failure: Equatable {
        var test: String
        /// Short error name ("DecodeError", "AssertionError") when one can be told.
        var errorType: String?
        var message: String?
        /// An error in the test's set-up or an unexpected exception (unittest ERROR, pytest ERROR),
        /// as opposed to a failed assertion.
        var isError = false
    }

    var runner: String
    var passed = 0
    var failed = 0
    var errors = 0
    var skipped = 0
    var duration: String?
    var failures: [Failure] = []
    /// Compiler errors ("Auth.swift:12: cannot find 'x' in scope") when the run did not get to tests.
    var buildErrors: [String] = []
    /// True when a recognised summary line was found (counts are then the runner's own).
    var hasSummary = false

    var succeeded: Bool { failed == 0 && errors == 0 && buildErrors.isEmpty }
}

/// Recognises pytest, unittest, swift test / swift build, cargo test, go test and jest/vitest output.
enum TestRunParser {
    static func parse(_ output: String, command: String) -> TestRunSummary? {
        let lines = HeuristicText.lines(output)
        let cmd = command.lowercased()
        if cmd.contains("pytest") || cmd.contains("py.test") { return pytest(lines) ?? unittest(lines) }
        if cmd.contains("unittest") || cmd.contains("manage.py test") { return unittest(lines) ?? pytest(lines) }
        if cmd.contains("swift test") || cmd.contains("swift build") || cmd.contains("xcodebuild") {
            return swift(lines, building: !cmd.contains("test"))
        }
        if cmd.contains("cargo test") || cmd.contains("cargo build") || cmd.contains("cargo check") { return cargo(lines) }
        if cmd.contains("go test") || cmd.contains("go build") || cmd.contains("go vet") { return goTest(lines) }
        if cmd.contains("jest") || cmd.contains("vitest") || cmd.contains("npm test") || cmd.contains("npm run test")
            || cmd.contains("yarn test") || cmd.contains("pnpm test") || cmd.contains("npx test")
        {
            return jest(lines)
        }
        // Unknown command (a Makefile, a script): trust only unmistakable summaries.
        return pytest(lines) ?? unittest(lines) ?? jest(lines)
    }

    // MARK: pytest

    static func pytest(_ lines: [Substring]) -> TestRunSummary? {
        var s = TestRunSummary(runner: "pytest")
        for line in lines.reversed() {
            if let counts = pytestCounts(line) {
                s.passed = counts["passed", default: 0]
                s.failed = counts["failed", default: 0]
                s.errors = counts["error", default: 0] + counts["errors", default: 0]
                s.skipped = counts["skipped", default: 0]
                s.duration = counts.isEmpty ? nil : pytestDuration(line)
                s.hasSummary = true
                break
            }
        }
        // Short test summary: "FAILED tests/test_auth.py::test_x - jwt.exceptions.DecodeError: msg"
        for line in lines {
            let isFailed = line.hasPrefix("FAILED ")
            guard isFailed || line.hasPrefix("ERROR ") else { continue }
            let rest = line.dropFirst(isFailed ? 7 : 6)
            let (id, message) = splitOnce(rest, " - ")
            let test = id.split(separator: "::").last.map(String.init) ?? String(id)
            s.failures.append(
                .init(
                    test: HeuristicText.oneLine(test, limit: 80), errorType: message.flatMap(errorType),
                    message: message.map { HeuristicText.oneLine($0, limit: 160) }, isError: !isFailed))
        }
        // Failure sections ("____ test_x ____") and their last "E   Err: msg" line: the final exception,
        // used when there is no short summary or its line was cut to the terminal width ("DecodeErr...").
        var sections: [(name: String, error: String?)] = []
        for line in lines {
            if line.hasPrefix("___"), line.hasSuffix("___") {
                let name = line.trimming(charactersIn: "_ ")
                if !name.isEmpty, !name.contains(" ") {
                    sections.append((name.split(separator: ".").last.map(String.init) ?? name, nil))
                }
            } else if line.hasPrefix("E "), !sections.isEmpty {
                let msg = line.dropFirst(1).blankTrimmed
                if errorType(msg) != nil || sections[sections.count - 1].error == nil {
                    sections[sections.count - 1].error = msg
                }
            }
        }
        if s.failures.isEmpty {
            s.failures = sections.map {
                .init(
                    test: $0.name, errorType: $0.error.flatMap(errorType),
                    message: $0.error.map { HeuristicText.oneLine($0, limit: 160) })
            }
        } else {
            for i in s.failures.indices {
                let f = s.failures[i]
                let truncated = f.message?.hasSuffix("...") ?? true
                guard f.errorType == nil || truncated,
                    let section = sections.first(where: { $0.name == f.test || f.test.hasSuffix($0.name) }),
                    let error = section.error
                else { continue }
                s.failures[i].errorType = errorType(error) ?? f.errorType
                s.failures[i].message = HeuristicText.oneLine(error, limit: 160)
            }
        }
        // Collection errors ("ERROR collecting tests/x.py", "ImportError while importing").
        return s.hasSummary || !s.failures.isEmpty ? s : nil
    }

    /// "==== 1 failed, 6 passed, 2 warnings in 0.31s ====" or the -q form without the rules.
    static func pytestCounts(_ line: Substring) -> [String: Int]? {
        guard HeuristicText.has(line, " in "),
            HeuristicText.has(line, "passed") || HeuristicText.has(line, "failed") || HeuristicText.has(line, "error")
                || HeuristicText.has(line, "skipped") || HeuristicText.has(line, "no tests ran")
                || HeuristicText.has(line, "deselected") || HeuristicText.has(line, "xfailed")
        else { return nil }
        let t = line.trimming(charactersIn: "= ")
        guard let inRange = t.lastRange(of: " in ") else {
            return nil
        }
        let after = t[inRange.upperBound...]
        guard let f = after.first, f.isNumber, after.contains("s") else { return nil }
        let countsPart = t[..<inRange.lowerBound]
        if countsPart == "no tests ran" { return [:] }
        var counts: [String: Int] = [:]
        for piece in countsPart.split(separator: ",") {
            let words = piece.split(separator: " ")
            guard words.count == 2, let n = Int(words[0]) else { return nil }
            let word = String(words[1])
            guard
                [
                    "passed", "failed", "error", "errors", "skipped", "xfailed", "xpassed", "warning", "warnings",
                    "deselected", "rerun",
                ].contains(word)
            else { return nil }
            counts[word] = n
        }
        return counts.isEmpty ? nil : counts
    }

    private static func pytestDuration(_ line: Substring) -> String? {
        guard let r = line.lastRange(of: " in ") else { return nil }
        let after = line[r.upperBound...]
        let num = after.prefix(while: { $0.isNumber || $0 == "." })
        return num.isEmpty ? nil : num + "s"
    }

    // MARK: unittest

    static func unittest(_ lines: [Substring]) -> TestRunSummary? {
        var s = TestRunSummary(runner: "unittest")
        var ran: Int?
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("Ran "), line.contains(" test") {
                let words = line.split(separator: " ")
                if words.count >= 2, let n = Int(words[1]) { ran = n }
                if let r = line.range(of: " in ") { s.duration = String(line[r.upperBound...]) }
            }
            if line.hasPrefix("FAILED ("), let inner = parenthesised(line) {
                for part in inner.split(separator: ",") {
                    let kv = part.split(separator: "=")
                    guard kv.count == 2, let n = Int(kv[1]) else { continue }
                    switch kv[0].blankTrimmed {
                    case "failures": s.failed = n
                    case "errors": s.errors = n
                    case "skipped": s.skipped = n
                    default: break
                    }
                }
            } else if line.hasPrefix("OK"), let inner = parenthesised(line) {
                for part in inner.split(separator: ",") where part.contains("skipped=") {
                    s.skipped = Int(part.split(separator: "=").last ?? "") ?? 0
                }
            }
            if line.hasPrefix("FAIL: ") || line.hasPrefix("ERROR: ") {
                let name = line.split(separator: " ").dropFirst().first.map(String.init) ?? String(line)
                var message: String?
                var j = i + 1
                while j < lines.count, !lines[j].hasPrefix("=====") {
                    let t = lines[j].blankTrimmed
                    if lines[j].hasPrefix("-----") && j > i + 2 { break }
                    if !t.isEmpty, !t.hasPrefix("-----"), !t.hasPrefix("Traceback"), !t.hasPrefix("File "), !lines[j].hasPrefix(" ") {
                        message = t
                    }
                    j += 1
                }
                s.failures.append(
                    .init(
                        test: name, errorType: message.flatMap(errorType),
                        message: message.map { HeuristicText.oneLine($0, limit: 160) },
                        isError: line.hasPrefix("ERROR: ")))
            }
        }
        guard let ran else { return nil }
        s.hasSummary = true
        s.passed = max(0, ran - s.failed - s.errors - s.skipped)
        return s
    }

    // MARK: swift

    static func swift(_ lines: [Substring], building: Bool) -> TestRunSummary? {
        var s = TestRunSummary(runner: building ? "swift build" : "swift test")
        var sawBuild = false
        var testingTotal: Int?
        for line in lines {
            if HeuristicText.has(line, ": error: ") {
                let parts = line.components(separatedBy: ": error: ")
                let location =
                    parts[0].split(separator: "/").last.map { loc -> String in
                        let comps = loc.split(separator: ":")
                        return comps.count >= 2 ? "\(comps[0]):\(comps[1])" : String(loc)
                    } ?? parts[0]
                let entry = location + " " + (parts.count > 1 ? parts[1] : "")
                if !s.buildErrors.contains(entry) { s.buildErrors.append(HeuristicText.oneLine(entry, limit: 160)) }
            }
            if line.hasPrefix("Build complete!") || HeuristicText.has(line, "Compiling") { sawBuild = true }
            // Swift Testing
            if HeuristicText.has(line, "Test run with "), let n = number(after: "Test run with ", in: line) {
                testingTotal = n
                s.hasSummary = true
                if let r = line.range(of: "after ") { s.duration = String(line[r.upperBound...].prefix(while: { $0 != " " })) + "s" }
            }
            if HeuristicText.has(line, "✘ Test "), let r = line.range(of: "✘ Test ") {
                let rest = line[r.upperBound...]
                let name = String(rest.prefix(while: { $0 != "(" && $0 != " " }))
                if line.contains("recorded an issue") || line.hasSuffix("failed") || line.contains(" failed after") {
                    if !s.failures.contains(where: { $0.test == name }), !name.isEmpty, name != "run" {
                        var message: String?
                        if let m = line.range(of: ": ", options: .backwards), line.contains("recorded an issue") {
                            message = HeuristicText.oneLine(String(line[m.upperBound...]), limit: 160)
                        }
                        s.failures.append(.init(test: name, errorType: nil, message: message))
                    }
                }
            }
            // XCTest
            if HeuristicText.has(line, "Executed "), HeuristicText.has(line, " test"), let n = number(after: "Executed ", in: line) {
                let f = number(after: "with ", in: line) ?? 0
                s.passed = max(0, n - f)
                s.failed = f
                s.hasSummary = true
            }
            if line.hasPrefix("Test Case '"), line.hasSuffix("' failed") || line.contains("' failed (") {
                let inner = line.dropFirst(11).prefix(while: { $0 != "'" })
                let name = inner.split(whereSeparator: { $0 == " " || $0 == "." }).last.map { String($0.filter { $0 != "]" }) } ?? String(inner)
                if !s.failures.contains(where: { $0.test == name }) { s.failures.append(.init(test: name)) }
            }
        }
        if let total = testingTotal {
            s.failed = max(s.failed, s.failures.count)
            s.passed = max(0, total - s.failed)
        }
        if !s.hasSummary, !s.buildErrors.isEmpty { s.hasSummary = true }
        if !s.hasSummary, sawBuild { s.hasSummary = true }
        return s.hasSummary ? s : nil
    }

    // MARK: cargo

    static func cargo(_ lines: [Substring]) -> TestRunSummary? {
        var s = TestRunSummary(runner: "cargo test")
        for line in lines {
            if line.hasPrefix("test result:") {
                s.hasSummary = true
                for part in line.split(separator: ";") {
                    let words = part.split(separator: " ")
                    guard words.count >= 2 else { continue }
                    let n = Int(words[words.count - 2]) ?? 0
                    switch words.last {
                    case "passed": s.passed += n
                    case "failed": s.failed += n
                    case "ignored": s.skipped += n
                    default: break
                    }
                }
            } else if line.hasPrefix("test "), line.hasSuffix("... FAILED") {
                let name = line.dropFirst(5).dropLast(11).blankTrimmed
                let short = name.split(separator: ":").last.map(String.init) ?? String(name)
                s.failures.append(.init(test: short))
            } else if line.hasPrefix("error[") || line.hasPrefix("error: ") {
                if !line.hasPrefix("error: test failed") && !line.hasPrefix("error: could not compile") {
                    s.buildErrors.append(HeuristicText.oneLine(String(line), limit: 160))
                }
            }
        }
        if !s.hasSummary, !s.buildErrors.isEmpty { s.hasSummary = true }
        return s.hasSummary ? s : nil
    }

    // MARK: go

    static func goTest(_ lines: [Substring]) -> TestRunSummary? {
        var s = TestRunSummary(runner: "go test")
        var packagesOK = 0
        for line in lines {
            let t = HeuristicText.trimmed(line)
            if t.hasPrefix("--- FAIL: ") {
                let name = t.dropFirst(10).prefix(while: { $0 != " " })
                s.failures.append(.init(test: String(name)))
            } else if t.hasPrefix("--- PASS: ") {
                s.passed += 1
            } else if t.hasPrefix("--- SKIP: ") {
                s.skipped += 1
            } else if line.hasPrefix("ok  ") || line.hasPrefix("ok\t") {
                packagesOK += 1
                s.hasSummary = true
            } else if line.hasPrefix("FAIL\t") || line.hasPrefix("FAIL ") {
                s.hasSummary = true
            } else if line.hasPrefix("./") || line.hasPrefix("../"), line.contains(".go:") {
                s.buildErrors.append(HeuristicText.oneLine(String(line), limit: 160))
            }
        }
        s.failed = s.failures.count
        if s.passed == 0, s.failed == 0 { s.passed = packagesOK }
        if !s.buildErrors.isEmpty { s.hasSummary = true }
        return s.hasSummary ? s : nil
    }

    // MARK: jest / vitest

    static func jest(_ lines: [Substring]) -> TestRunSummary? {
        var s = TestRunSummary(runner: "jest")
        for line in lines {
            let t = HeuristicText.trimmed(line)
            if t.hasPrefix("Tests:") || (t.hasPrefix("Tests ") && t.contains("(")) {
                s.hasSummary = true
                if t.hasPrefix("Tests ") { s.runner = "vitest" }
                for part in t.dropFirst(6).split(whereSeparator: { $0 == "," || $0 == "|" }) {
                    let words = part.split(separator: " ")
                    guard words.count >= 2, let n = Int(words[0]) else { continue }
                    switch words[1] {
                    case "passed": s.passed = n
                    case "failed": s.failed = n
                    case "skipped", "todo": s.skipped += n
                    default: break
                    }
                }
            } else if t.hasPrefix("● "), t.contains(" › ") {
                let name = t.dropFirst(2).components(separatedBy: " › ").last ?? String(t)
                if !s.failures.contains(where: { $0.test == name }) { s.failures.append(.init(test: name)) }
            }
        }
        return s.hasSummary ? s : nil
    }

    // MARK: helpers

    /// "jwt.exceptions.DecodeError: Signature …" → "DecodeError"; "assert 1 == 2" → "AssertionError".
    static func errorType(_ message: String) -> String? {
        let m = HeuristicText.trimmed(message)
        if m.hasPrefix("assert ") { return "AssertionError" }
        let head = m.prefix(while: { $0 != ":" && $0 != " " && $0 != "(" })
        guard !head.isEmpty, head.count <= 80 else { return nil }
        let last = head.split(separator: ".").last.map(String.init) ?? String(head)
        guard let f = last.first, f.isUppercase,
            last.hasSuffix("Error") || last.hasSuffix("Exception") || last.hasSuffix("Exit") || last.hasSuffix("Failure")
                || last.hasSuffix("Interrupt") || last == "Failed" || last.hasSuffix("Warning") || last.hasSuffix("Timeout")
        else { return nil }
        return last
    }

    private static func splitOnce(_ s: Substring, _ sep: String) -> (Substring, String?) {
        guard let r = s.range(of: sep) else { return (s, nil) }
        return (s[..<r.lowerBound], String(s[r.upperBound...]))
    }

    private static func parenthesised(_ line: Substring) -> Substring? {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { return nil }
        return line[line.index(after: open)..<close]
    }

    private static func number<S: StringProtocol>(after marker: String, in line: S) -> Int? {
        guard let r = line.range(of: marker) else { return nil }
        let digits = line[r.upperBound...].prefix(while: { $0.isNumber })
        return Int(digits)
    }
}
