import EngramModel
import GRDB

/// A briefing's material in one read transaction (one WAL snapshot) over sessions, prompts, observations, the
/// function map and learnings. Every query is bounded (the latest sessions, files and observations), so a briefing
/// stays cheap at 100k observations.
package struct SQLiteBriefingStore: BriefingStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func material(project: String, excludingSession: String?, sessions: Int, learnings: Int, observations: Int) throws -> BriefingMaterial {
        try writer.read { db in
            var m = BriefingMaterial()
            m.sessions = try Row.fetchAll(
                db,
                sql: """
                    WITH recent AS (SELECT id, started_at, summary_text FROM sessions WHERE project = ? AND id IS NOT ?
                                    ORDER BY started_at DESC LIMIT ?)
                    SELECT r.id, r.started_at, r.summary_text,
                           (SELECT prompt FROM user_prompts p WHERE p.session_id = r.id ORDER BY p.id LIMIT 1) AS first_prompt,
                           count(o.id) AS n,
                           coalesce(sum(o.tool_name IN ('Edit', 'MultiEdit', 'Write', 'NotebookEdit')), 0) AS edits,
                           coalesce(sum(o.tool_name = 'Bash' AND (o.title LIKE '%passed%' OR o.title LIKE '%failed%'
                                                                  OR o.title LIKE '%build error%')), 0) AS tests,
                           coalesce(sum(o.title LIKE 'Committed %'), 0) AS commits,
                           coalesce(sum(o.hook_type = 'PostToolUseFailure'), 0) AS errors
                    FROM recent r LEFT JOIN observations o ON o.session_id = r.id
                    GROUP BY r.id ORDER BY r.started_at DESC
                    """, arguments: [project, excludingSession, max(0, sessions)]
            ).map { r in
                BriefingMaterial.Session(
                    id: r["id"], startedAt: r["started_at"], summary: r["summary_text"], firstPrompt: r["first_prompt"],
                    observations: r["n"], edits: r["edits"], tests: r["tests"], commits: r["commits"], errors: r["errors"])
            }

            // Each recently snapshotted file's rows by the session of its latest snapshot (the lowest session id
            // when several share that time), whatever the snapshot: the engine nets them into one change per definition.
            m.definitions = try Row.fetchAll(
                db,
                sql: """
                    WITH recent AS (
                        SELECT file_path, max(snapshot_at) AS snap FROM function_map WHERE project = ?
                        GROUP BY file_path ORDER BY snap DESC LIMIT 8
                    ), last_session AS (
                        SELECT f.file_path, r.snap, min(f.session_id) AS session_id
                        FROM function_map f JOIN recent r ON f.file_path = r.file_path AND f.snapshot_at = r.snap
                        WHERE f.project = ? GROUP BY f.file_path
                    )
                    SELECT f.*, l.snap FROM function_map f JOIN last_session l ON f.file_path = l.file_path AND f.session_id = l.session_id
                    WHERE f.project = ?
                    ORDER BY l.snap DESC, f.file_path, f.snapshot_at, f.id
                    """, arguments: [project, project, project]
            ).map { r in
                BriefingMaterial.Definition(
                    file: r["file_path"], snapshotAt: r["snapshot_at"], latestSnapshotAt: r["snap"],
                    symbol: SQLiteCodeMapStore.symbol(r))
            }

            // SQLite's bare-column rule gives each file's time and title from the row holding max(id): its latest edit.
            m.fileEdits = try Row.fetchAll(
                db,
                sql: """
                    SELECT j.value AS file, max(o.id) AS last_id, o.created_at AS last_at, count(*) AS n, o.title AS last_title
                    FROM (SELECT id, created_at, title, files_touched FROM observations
                          WHERE project = ? AND tool_name IN ('Edit', 'MultiEdit', 'Write', 'NotebookEdit')
                          ORDER BY created_at DESC LIMIT 400) o, json_each(o.files_touched) j
                    GROUP BY j.value ORDER BY last_id DESC LIMIT 10
                    """, arguments: [project]
            ).map {
                BriefingMaterial.FileEdit(file: $0["file"], lastAt: $0["last_at"], count: $0["n"], lastTitle: $0["last_title"] ?? "")
            }

            m.learnings = try LearningRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM learnings WHERE is_active = 1 AND (project = ? OR project IS NULL)
                    ORDER BY confidence DESC, times_seen DESC, updated_at DESC, id DESC LIMIT ?
                    """, arguments: [project, max(0, learnings)])

            m.observations = try ObservationRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT * FROM observations WHERE project = ? ORDER BY created_at DESC LIMIT 200)
                    ORDER BY (CASE WHEN tool_name IN ('Edit','MultiEdit','Write','NotebookEdit','Bash') THEN 0 ELSE 1 END),
                             created_at DESC, id DESC
                    LIMIT ?
                    """, arguments: [project, max(0, observations)])
            return m
        }
    }
}
