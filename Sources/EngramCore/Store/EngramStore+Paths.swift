import EngramSQLite

extension EngramStore {
    /// Opens the database of a data directory, preparing the directory first (0700, created when missing).
    public static func open(paths: EngramPaths, mode: Mode = .queue, readOnly: Bool = false) throws -> EngramStore {
        try paths.prepare()
        return try open(path: paths.database.path, mode: mode, readOnly: readOnly)
    }
}
