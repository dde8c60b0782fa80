import EngramModel
import GRDB

/// Learnings in the `learnings` table (indexed for keyword search by triggers on `memory_fts`).
package struct SQLiteLearningStore: LearningStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func learning(_ id: Int64) throws -> LearningRecord? {
        try writer.read { db in try LearningRecord.fetchOne(db, key: id) }
    }

    package func list(project: String?, includeInactive: Bool, limit: Int) throws -> [LearningRecord] {
        try writer.read { db in
            try LearningRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM learnings WHERE (project IS ? OR project IS NULL OR ? IS NULL) AND (is_active = 1 OR ?)
                    ORDER BY is_active DESC, confidence DESC, times_seen DESC, updated_at DESC, id DESC LIMIT ?
                    """, arguments: [project, project, includeInactive, max(0, limit)])
        }
    }

    package func amend(project: String?, _ decide: ([LearningRecord]) throws -> LearningChange) throws -> (
        learning: LearningRecord, event: EngramEvent?
    ) {
        try writer.write { db in
            let active = try LearningRecord.fetchAll(
                db, sql: "SELECT * FROM learnings WHERE is_active = 1 AND project IS ? ORDER BY id",
                arguments: [project])
            switch try decide(active) {
            case .insert(var record, let event):
                record.id = nil
                try record.insert(db)
                let e = event(record)
                try SQLiteEvents.insert([e], now: record.updatedAt, in: db)
                return (record, e)
            case .update(let record, let event):
                guard record.id != nil, try record.exists(db) else { throw EngramError.notFound("learning L\(record.id ?? 0)") }
                try record.update(db)
                if let event { try SQLiteEvents.insert([event], now: record.updatedAt, in: db) }
                return (record, event)
            }
        }
    }

    package func modify(_ id: Int64, now: String, _ change: (inout LearningRecord) -> EngramEvent?) throws -> (
        learning: LearningRecord, event: EngramEvent?
    )? {
        try writer.write { db in
            guard var record = try LearningRecord.fetchOne(db, key: id) else { return nil }
            let event = change(&record)
            record.id = id
            record.updatedAt = now
            try record.update(db)
            if let event { try SQLiteEvents.insert([event], now: now, in: db) }
            return (record, event)
        }
    }
}
