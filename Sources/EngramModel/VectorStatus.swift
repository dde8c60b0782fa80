/// Where a record's vector stands for one model: `pending` (none, or another model's), `done`, or `failed` (not
/// asked again unless forced).
public enum VectorStatus: String, Sendable, Codable { case pending, done, failed }
