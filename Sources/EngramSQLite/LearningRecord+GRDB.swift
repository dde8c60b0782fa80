import EngramModel
import GRDB

extension LearningRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "learnings"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
