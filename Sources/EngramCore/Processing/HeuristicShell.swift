import Foundation

/// Reading of Bash calls: test runners and builds by their summaries, git by its output,
/// package installs by what got installed, anything else by its last meaningful line.
enum HeuristicShell {
    static func bash(_ ctx: HeuristicContext) -> CompressedObservation {
        let command = ctx.inputText("command") ?? ctx.inputText("bash_id") ?? ""
        let stdout = ctx.responseText("stdout") ?? ctx.responseString ?? ctx.responseText("output") ?? ""
        let stderr = ctx.responseText("stderr") ?? ""
        let output = HeuristicText.bounded(stderr.isEmpty ? stdout : stdout + "\n" + stderr)
        let run = ShellRun(
            command: command, main: mainCommand(command), description: ctx.inputText("description"),
            output: output, stderr: HeuristicText.bounded(stderr),
            interrupted: ctx.response["interrupted"]?.boolValue ?? false,
            exitCode: ctx.response["exit_code"]?.intValue ?? ctx.response["exitCode"]?.intValue,
            errorResponse: (ctx.responseString ?? "").hasPrefix("Error"), ctx: ctx)

        if let tests = TestRunParser.parse(output, command: run.main), tests.hasSummary || !tests.failures.isEmpty,
            looksLikeTestCommand(run.main) || tests.hasSummary
        {
            return testRun(run, tests)
        }
        let words = run.main.split(separator: " ").map(String.init)
        if words.first == "git" { return git(run, words: words) }
        if let first = words.first, ["pip", "pip3", "uv", "poetry"].contains(first) || run.main.contains("-m pip "),
            run.main.contains(" install") || run.main.contains(" add ")
        {
            return pipInstall(run)
        }
        return generic(run)
    }

    struct ShellRun {
        var command: String
        var main: String
        var description: String?
        var output: String
        var stderr: String
        var interrupted: Bool
        var exitCode: Int?
        var errorResponse: Bool
        var ctx: HeuristicContext

        var firstLine: String {
            HeuristicText.oneLine(String(command.split(separator: "\n").first ?? ""), limit: 60)
        }
        var failed: Bool {
            if interrupted || errorResponse { return true }
            if let exitCode { return exitCode != 0 }
            return HeuristicShell.errorLine(in: stderr) != nil
        }
    }

    // MARK: tests and builds

    private static func testRun(_ run: ShellRun, _ t: TestRunSummary) -> CompressedObservation {
        let label = testLabel(run, runner: t.runner)
        var outcome: [String] = []
        let failing = t.failures.map(\.test)
        let failures = t.failures.filter { !$0.isError }
        let errored = t.failures.filter(\.isError)
        let failedCount = max(t.failed, failures.count)
        if failedCount > 0 {
            outcome.append("\(failedCount) failed" + namedFailures(failures))
        }
        let errorCount = max(t.errors, errored.count)
        if errorCount > 0 {
            outcome.append(HeuristicText.plural(errorCount, "error") + (failures.isEmpty ? namedFailures(errored) : ""))
        }
        if t.passed > 0 { outcome.append("\(t.passed) passed") }
        if !t.buildErrors.isEmpty, t.passed == 0, t.failed == 0 {
            outcome.append(
                HeuristicText.plural(t.buildErrors.count, "build error") + " ("
                    + HeuristicText.oneLine(t.buildErrors[0], limit: 50) + ")")
        }
        if outcome.isEmpty { outcome.append(run.interrupted ? "interrupted" : (t.runner.hasSuffix("build") ? "ok" : "no tests ran")) }
        let title = label + ": " + outcome.joined(separator: ", ")

        var counts = outcome.map { o in o.firstRange(of: " (").map { String(o[..<$0.lowerBound]) } ?? o }
        if t.skipped > 0 { counts.append("\(t.skipped) skipped") }
        var summary = "\(label): " + counts.joined(separator: ", ")
        if let d = t.duration { summary += " in \(d)" }
        summary += "."
        for f in t.failures.prefix(3) {
            summary += " \(f.test)" + (f.message.map { ": " + HeuristicText.oneLine($0, limit: 110) } ?? "") + "."
        }
        if !t.buildErrors.isEmpty { summary += " " + t.buildErrors.prefix(2).joined(separator: "; ") }
        if run.interrupted { summary += " Interrupted." }

        var detail = ["$ " + run.firstLine]
        detail += t.failures.prefix(6).map { "FAILED " + $0.test + ($0.message.map { " - " + $0 } ?? "") }
        detail += t.buildErrors.prefix(6).map { "error: " + $0 }
        detail += tail(run.output, lines: 12)
        let files = testTargets(run).filter { $0.contains(".") && !$0.hasPrefix("-") }
        return CompressedObservation(
            title: title, summary: summary, detail: detail.joined(separator: "\n"),
            filesTouched: files, functionsHint: failing)
    }

    /// " (test_x, DecodeError)" for one failure, " (test_a, test_b +1)" for several.
    private static func namedFailures(_ failures: [TestRunSummary.Failure]) -> String {
        if failures.count == 1, let f = failures.first {
            return " (" + f.test + (f.errorType.map { ", " + $0 } ?? "") + ")"
        }
        return failures.isEmpty ? "" : " (" + HeuristicText.nameList(failures.map(\.test), limit: 44) + ")"
    }

    private static func looksLikeTestCommand(_ main: String) -> Bool {
        let m = main.lowercased()
        return [
            "pytest", "unittest", "swift test", "swift build", "cargo ", "go test", "go build", "jest", "vitest",
            "npm test", "npm run test", "yarn test", "pnpm test", "manage.py test", "tox", "nox", "make test",
        ]
        .contains { m.contains($0) }
    }

    private static func testLabel(_ run: ShellRun, runner: String) -> String {
        let targets = testTargets(run)
        let label = targets.isEmpty ? runner : runner + " " + targets.prefix(2).joined(separator: " ")
        return HeuristicText.clip(label, limit: 40)
    }

    /// Non-flag arguments after the runner word ("pytest tests/test_auth.py -q" → tests/test_auth.py).
    private static func testTargets(_ run: ShellRun) -> [String] {
        let words = run.main.split(separator: " ").map(String.init)
        let runnerWords: Set<String> = ["pytest", "py.test", "unittest", "test", "jest", "vitest"]
        guard let idx = words.firstIndex(where: { runnerWords.contains($0) }) else { return [] }
        var out: [String] = []
        var skipNext = false
        for w in words[(idx + 1)...] {
            if skipNext { skipNext = false; continue }
            if w.hasPrefix("-") {
                // Options that take a value: -k EXPR, -m MARK, --filter X, -p PLUGIN.
                if ["-k", "-m", "-p", "--filter", "-c", "--rootdir", "--maxfail"].contains(w) { skipNext = true }
                continue
            }
            if w == "|" || w == ">" || w == "2>&1" || w.hasPrefix(">") { break }
            out.append(run.ctx.relative(w.trimming(charactersIn: "'\"")))
        }
        return out
    }

    // MARK: git

    private static func git(_ run: ShellRun, words: [String]) -> CompressedObservation {
        var i = 1
        while i < words.count, words[i].hasPrefix("-") { i += (words[i] == "-C" || words[i] == "-c") ? 2 : 1 }
        let sub = i < words.count ? words[i] : ""
        let lines = HeuristicText.lines(run.output)
        switch sub {
        case "commit":
            if let line = lines.first(where: { $0.hasPrefix("[") && $0.contains("] ") }),
                let close = line.firstIndex(of: "]")
            {
                let inside = line[line.index(after: line.startIndex)..<close].split(separator: " ")
                let sha = inside.last.map(String.init) ?? ""
                let branch = inside.first.map(String.init) ?? ""
                let message = line[line.index(after: close)...].blankTrimmed
                let stat = lines.first(where: {
                    $0.contains("changed") && ($0.contains("insertion") || $0.contains("deletion") || $0.contains("file"))
                })
                var summary = "Committed \(sha) on \(branch): \(message)."
                if let stat { summary += " " + stat.blankTrimmed + "." }
                let files = lines.compactMap { l -> String? in
                    let t = l.blankTrimmed
                    for p in ["create mode ", "delete mode "] where t.hasPrefix(p) {
                        return t.split(separator: " ").last.map(String.init)
                    }
                    return nil
                }
                return CompressedObservation(
                    title: "Committed \(sha): \(message)", summary: summary,
                    detail: (["$ " + run.firstLine] + lines.prefix(20).map(String.init)).joined(separator: "\n"),
                    filesTouched: files)
            }
            return generic(run, prefix: "git commit")
        case "status":
            var branch: String?
            var modified: [String] = [], added: [String] = [], deleted: [String] = [], untracked: [String] = []
            var inUntracked = false
            for l in lines {
                if l.hasPrefix("On branch ") { branch = String(l.dropFirst(10)) }
                if l.hasPrefix("## ") { branch = String(l.dropFirst(3).prefix(while: { $0 != "." && $0 != " " })) }
                if l.hasPrefix("Untracked files:") { inUntracked = true; continue }
                if l.hasPrefix("Changes ") { inUntracked = false }
                let t = l.blankTrimmed
                if t.hasPrefix("modified:") {
                    modified.append(t.dropFirst(9).blankTrimmed)
                } else if t.hasPrefix("new file:") {
                    added.append(t.dropFirst(9).blankTrimmed)
                } else if t.hasPrefix("deleted:") {
                    deleted.append(t.dropFirst(8).blankTrimmed)
                } else if inUntracked, l.hasPrefix("\t") {
                    untracked.append(t)
                } else if l.count > 3, l.dropFirst(2).first == " ", !l.hasPrefix("#") {
                    // Short format: "XY path".
                    let code = l.prefix(2)
                    let path = String(l.dropFirst(3))
                    if code == "??" {
                        untracked.append(path)
                    } else if code.contains("M") {
                        modified.append(path)
                    } else if code.contains("A") {
                        added.append(path)
                    } else if code.contains("D") {
                        deleted.append(path)
                    }
                }
            }
            var parts: [String] = []
            if !modified.isEmpty { parts.append("\(modified.count) modified") }
            if !added.isEmpty { parts.append("\(added.count) added") }
            if !deleted.isEmpty { parts.append("\(deleted.count) deleted") }
            if !untracked.isEmpty { parts.append("\(untracked.count) untracked") }
            let state = parts.isEmpty ? "clean" : parts.joined(separator: ", ")
            let title = "git status" + (branch.map { " on \($0)" } ?? "") + ": " + state
            let all = modified + added + deleted
            var summary = title + "."
            if !all.isEmpty { summary += " Changed: " + HeuristicText.nameList(all, limit: 150) + "." }
            if !untracked.isEmpty { summary += " Untracked: " + HeuristicText.nameList(untracked, limit: 80) + "." }
            return CompressedObservation(
                title: title, summary: summary,
                detail: lines.prefix(30).map(String.init).joined(separator: "\n"))
        case "diff", "show":
            var files: [String] = []
            var plus = 0, minus = 0
            for l in lines {
                if l.hasPrefix("diff --git ") {
                    if let b = l.range(of: " b/") { files.append(String(l[b.upperBound...])) }
                } else if l.hasPrefix("+") && !l.hasPrefix("+++") {
                    plus += 1
                } else if l.hasPrefix("-") && !l.hasPrefix("---") {
                    minus += 1
                } else if l.hasPrefix(" "), l.contains(" | ") {
                    files.append(l.split(separator: "|").first.map { $0.blankTrimmed } ?? "")
                }
            }
            if files.isEmpty && plus == 0 && minus == 0 {
                return generic(run, prefix: "git \(sub)", emptyText: "no changes")
            }
            let title =
                "git \(sub): \(HeuristicText.plural(files.count, "file")) (+\(plus) −\(minus))"
                + (files.isEmpty ? "" : ": " + HeuristicText.nameList(files, limit: 40))
            let summary =
                "git \(sub) over \(HeuristicText.plural(files.count, "file")), +\(plus) −\(minus) lines: "
                + HeuristicText.nameList(files, limit: 200) + "."
            let diffLines = lines.filter { ($0.hasPrefix("+") || $0.hasPrefix("-") || $0.hasPrefix("diff --git")) }
            return CompressedObservation(
                title: title, summary: summary,
                detail: diffLines.prefix(40).map(String.init).joined(separator: "\n"))
        case "log":
            var commits: [(String, String)] = []
            var i = 0
            while i < lines.count {
                let l = lines[i]
                if l.hasPrefix("commit ") {
                    let sha = String(l.dropFirst(7).prefix(7))
                    var msg = ""
                    var j = i + 1
                    while j < lines.count, !lines[j].hasPrefix("commit ") {
                        if lines[j].hasPrefix("    "), msg.isEmpty { msg = lines[j].blankTrimmed }
                        j += 1
                    }
                    commits.append((sha, msg))
                    i = j
                    continue
                }
                let first = l.split(separator: " ", maxSplits: 1)
                if first.count == 2, first[0].count >= 7, first[0].count <= 40, first[0].allSatisfy(\.isHexDigit) {
                    commits.append((String(first[0].prefix(7)), String(first[1])))
                }
                i += 1
            }
            guard let latest = commits.first else { return generic(run, prefix: "git log") }
            let title = "git log: \(HeuristicText.plural(commits.count, "commit")), latest \(latest.0) \(latest.1)"
            let summary = commits.prefix(5).map { "\($0.0) \($0.1)" }.joined(separator: "; ")
            return CompressedObservation(
                title: title, summary: summary,
                detail: commits.prefix(20).map { "\($0.0) \($0.1)" }.joined(separator: "\n"))
        default:
            return generic(run, prefix: sub.isEmpty ? "git" : "git \(sub)")
        }
    }

    // MARK: package installs

    private static func pipInstall(_ run: ShellRun) -> CompressedObservation {
        let lines = HeuristicText.lines(run.output)
        let label = HeuristicText.clip(run.main, limit: 40)
        if let ok = lines.last(where: { $0.hasPrefix("Successfully installed ") }) {
            let pkgs = ok.dropFirst(23).split(separator: " ").map(String.init)
            let names = pkgs.map { p -> String in
                guard let dash = p.lastIndex(of: "-"), p[p.index(after: dash)...].first?.isNumber == true else { return p }
                return String(p[..<dash])
            }
            let tool = run.main.split(separator: " ").prefix(2).joined(separator: " ")
            return CompressedObservation(
                title: "\(tool): installed " + HeuristicText.nameList(names, limit: 56),
                summary: "Installed \(HeuristicText.plural(pkgs.count, "package")): " + HeuristicText.nameList(pkgs, limit: 240) + ".",
                detail: (["$ " + run.firstLine] + tail(run.output, lines: 10)).joined(separator: "\n"))
        }
        if let err = lines.first(where: { $0.hasPrefix("ERROR:") || $0.hasPrefix("error:") }) {
            return CompressedObservation(
                title: "\(label): failed", summary: HeuristicText.oneLine(String(err), limit: 280),
                detail: (["$ " + run.firstLine] + tail(run.output, lines: 15)).joined(separator: "\n"))
        }
        if lines.contains(where: { $0.hasPrefix("Requirement already satisfied") }) {
            return CompressedObservation(
                title: "\(label): already installed", summary: "\(run.main): every requirement was already satisfied.",
                detail: (["$ " + run.firstLine] + tail(run.output, lines: 6)).joined(separator: "\n"))
        }
        return generic(run)
    }

    // MARK: anything else

    private static func generic(_ run: ShellRun, prefix: String? = nil, emptyText: String = "no output") -> CompressedObservation {
        let state = run.interrupted ? "interrupted" : (run.failed ? "failed" : nil)
        let last = lastMeaningfulLine(run.output)
        var title = prefix ?? ("Ran " + run.firstLine)
        if let state { title += ": " + state } else if prefix != nil { title += ": " + (last ?? emptyText) }
        var summary = ""
        if let d = run.description { summary += HeuristicText.oneLine(d, limit: 100) + ". " }
        summary += "$ " + HeuristicText.oneLine(run.command, limit: 120)
        if let err = errorLine(in: run.stderr) ?? (run.failed ? errorLine(in: run.output) : nil) {
            summary += " — error: " + HeuristicText.oneLine(err, limit: 120)
        } else if let last {
            summary += " → " + HeuristicText.oneLine(last, limit: 120)
        } else {
            summary += " → " + emptyText
        }
        if let code = run.exitCode, code != 0 { summary += " (exit \(code))" }
        let detail = ["$ " + HeuristicText.oneLine(run.command, limit: 200)] + tail(run.output, lines: 20)
        return CompressedObservation(title: title, summary: summary, detail: detail.joined(separator: "\n"))
    }

    // MARK: helpers

    /// The command that does the work: skips `cd x &&`, env assignments, `sudo`, `time`.
    static func mainCommand(_ command: String) -> String {
        // Segments between `&&`, `;` and newlines, cut on the UTF-8 bytes (all three are ASCII).
        var segments: [Substring] = []
        let bytes = command.utf8
        var start = bytes.startIndex, i = start
        while i < bytes.endIndex {
            let b = bytes[i]
            let next = bytes.index(after: i)
            let width =
                b == UInt8(ascii: ";") || b == UInt8(ascii: "\n")
                ? 1
                : b == UInt8(ascii: "&") && next < bytes.endIndex && bytes[next] == UInt8(ascii: "&") ? 2 : 0
            if width > 0 {
                segments.append(command[start..<i])
                i = width == 2 ? bytes.index(after: next) : next
                start = i
            } else {
                i = next
            }
        }
        segments.append(command[start...])
        var candidates: [String] = []
        for seg in segments {
            var words = seg.split(separator: " ").map(String.init)
            while let w = words.first,
                w == "sudo" || w == "time" || w == "env" || w == "command"
                    || (w.contains("=") && !w.hasPrefix("-") && w.first?.isLetter == true)
            {
                words.removeFirst()
            }
            guard let first = words.first else { continue }
            if ["cd", "source", ".", "export", "set", "pushd", "popd", "clear"].contains(first) { continue }
            candidates.append(words.joined(separator: " "))
        }
        // "git add -A && git commit …": the staging step is not the point.
        if candidates.count > 1, candidates[0].hasPrefix("git add") { return candidates[1] }
        return candidates.first ?? command.spaceTrimmed
    }

    static func lastMeaningfulLine(_ output: String) -> String? {
        for line in HeuristicText.lines(output).reversed() {
            let t = line.blankTrimmed
            guard t.count >= 2, t.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
            return HeuristicText.oneLine(t, limit: 160)
        }
        return nil
    }

    static func errorLine(in text: String) -> String? {
        guard !text.isEmpty else { return nil }
        let markers = ["error", "Error", "ERROR", "fatal:", "No such file", "not found", "Traceback", "denied", "Permission"]
        let lines = HeuristicText.lines(text).suffix(300)
        // Prefer the last exception-looking line ("ValueError: …") over "Traceback".
        if let exc = lines.last(where: { TestRunParser.errorType(String($0)) != nil }) {
            return String(exc).blankTrimmed
        }
        return lines.first(where: { l in markers.contains { l.contains($0) } }).map { $0.blankTrimmed }
    }

    static func tail(_ output: String, lines n: Int) -> [String] {
        let lines = HeuristicText.lines(output)
        var end = lines.count
        while end > 0, HeuristicText.trimmed(lines[end - 1]).isEmpty { end -= 1 }
        let start = max(0, end - n)
        return (start > 0 ? ["…"] : []) + lines[start..<end].map(String.init)
    }
}
