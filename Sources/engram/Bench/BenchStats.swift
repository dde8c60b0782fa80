import Foundation

/// Latency samples in milliseconds and their percentiles.
struct BenchStats: Codable {
    var samples: Int
    var p50: Double
    var p95: Double
    var mean: Double

    init(_ ms: [Double]) {
        let s = ms.sorted()
        samples = s.count
        func pct(_ p: Double) -> Double { s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))] }
        p50 = (pct(0.5) * 1000).rounded() / 1000
        p95 = (pct(0.95) * 1000).rounded() / 1000
        mean = s.isEmpty ? 0 : ((s.reduce(0, +) / Double(s.count)) * 1000).rounded() / 1000
    }
}

enum Stopwatch {
    static func ms(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000
    }

    /// Runs a process to completion with `stdin`, returning its wall time in ms (launch included).
    static func process(_ exe: String, _ args: [String], stdin: Data, env: [String: String]) throws -> (ms: Double, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = env
        let inp = Pipe()
        p.standardInput = inp
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let t0 = DispatchTime.now().uptimeNanoseconds
        try p.run()
        inp.fileHandleForWriting.write(stdin)
        try inp.fileHandleForWriting.close()
        p.waitUntilExit()
        return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000, p.terminationStatus)
    }

    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
