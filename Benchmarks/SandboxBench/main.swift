// Start-up cost of engram's sandbox, beside its peers, in one run (DESIGN.md: "sandboxed run of a trivial function,
// p50 ≤ 2× bare `python3 -I -S -c pass`, peer: plain subprocess with rlimits").
//
//   swift run -c release engram-sandbox-bench [runs]
//
// Each sample is one whole process lifetime, measured from the caller: spawn → exit → reaped.
import EngramSandbox
import Foundation

let runs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 50 : 50
let python = "/usr/bin/python3"
let trivial = "import json\ndef f(x):\n    return x + 1\nprint(json.dumps(f(41)))\n"

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
}

/// posix_spawn + waitpid: the least a caller can pay for a fresh interpreter.
func spawnBare(_ args: [String]) -> Double {
    let start = now()
    var pid: pid_t = 0
    let cArgs = args.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var env: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
    defer { env.forEach { free($0) } }
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    guard posix_spawn(&pid, args[0], &actions, nil, cArgs, &env) == 0 else { fatalError("spawn failed") }
    posix_spawn_file_actions_destroy(&actions)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return now() - start
}

/// Round-robin: one sample of each variant per round, so load from other processes on the machine falls on all alike.
func measureAll(_ variants: [(String, () -> Double)]) -> [(String, [Double])] {
    for _ in 0..<3 { for v in variants { _ = v.1() } }  // warm the page cache and the dynamic loader
    var samples = [[Double]](repeating: [], count: variants.count)
    for _ in 0..<runs {
        for (i, v) in variants.enumerated() { samples[i].append(v.1()) }
    }
    return zip(variants, samples).map { ($0.0.0, $0.1.sorted()) }
}

func pct(_ s: [Double], _ q: Double) -> Double { s[min(s.count - 1, Int((Double(s.count - 1) * q).rounded()))] }

let sandbox = SandboxRunner()
var weakConfig = SandboxConfiguration()
weakConfig.isolation = .rlimitsOnly
let weak = SandboxRunner(configuration: weakConfig)
let job = SandboxJob(source: trivial)
let check = sandbox.run(job)
guard check.status == .ok, check.stdout == "42\n" else {
    FileHandle.standardError.write(Data("the sandbox cannot run here: \(check.status) \(check.reason ?? "")\n".utf8))
    exit(1)
}

let pass = SandboxJob(source: "pass\n")
func timed(_ runner: SandboxRunner, _ job: SandboxJob) -> Double {
    let r = runner.run(job)
    precondition(r.status == .ok, "\(r)")
    return r.durationMs
}
let results = measureAll([
    ("bare python3 -I -S -c pass", { spawnBare([python, "-I", "-S", "-c", "pass"]) }),
    ("sandbox (namespaces), pass", { timed(sandbox, pass) }),
    ("bare python3 -I -S, trivial function (json)", { spawnBare([python, "-I", "-S", "-c", trivial]) }),
    ("plain subprocess + rlimits (rlimits mode), trivial function", { timed(weak, job) }),
    ("sandbox (namespaces), trivial function", { timed(sandbox, job) }),
])

let base = pct(results[0].1, 0.5)
print("runs per row: \(runs); machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(Date())")
for (name, s) in results {
    let p50 = pct(s, 0.5), p95 = pct(s, 0.95)
    let label = name.padding(toLength: 62, withPad: " ", startingAt: 0)
    print(label + String(format: " p50 %7.2f ms  p95 %7.2f ms  (%.2f× bare p50)", p50, p95, p50 / base))
}
