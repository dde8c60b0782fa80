import GRDB

/// engram's schema, as GRDB migrations. Append-only: never edit a shipped migration,
/// add a new one. Each is tested from an empty database and from the previous version.
package enum Schema {
    package static func migrator() -> DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-core") { db in try v1(db) }
        m.registerMigration("v2-memories") { db in try v2Memories(db) }
        m.registerMigration("v2-vectors") { db in try v2Vectors(db) }
        m.registerMigration("v3-enrichment") { db in try v3Enrichment(db) }
        m.registerMigration("v3-functions") { db in try v3Functions(db) }
        m.registerMigration("v4-queue-owner") { db in
            // Who claimed a `processing` item (`ProcessOwner`): a dead owner's items are taken back at once.
            try db.execute(sql: "ALTER TABLE pending_queue ADD COLUMN claimed_by TEXT")
        }
        m.registerMigration("v4-prompt-ids-memory-vectors") { db in try v4PromptIDsMemoryVectors(db) }
        return m
    }

    /// Full-text rows from three tables share one FTS5 index; the rowid encodes the
    /// source so deletes stay O(log n): observation id*4, session seq*4+1, learning id*4+2.
    package enum FTSKind: Int64 { case observation = 0, summary = 1, learning = 2 }

    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE sessions (
                    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
                    id                TEXT NOT NULL UNIQUE,          -- Claude Code's session_id
                    project           TEXT NOT NULL,                 -- project root path
                    started_at        TEXT NOT NULL,
                    updated_at        TEXT NOT NULL,
                    ended_at          TEXT,
                    status            TEXT NOT NULL DEFAULT 'active', -- active | summarized | closed
                    source            TEXT,                          -- startup | resume | clear | compact | fork
                    end_reason        TEXT,
                    transcript_path   TEXT,
                    summary_text      TEXT,
                    last_assistant_message TEXT,
                    prompt_count      INTEGER NOT NULL DEFAULT 0,
                    tokens_injected   INTEGER NOT NULL DEFAULT 0,
                    tokens_compressed INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX idx_sessions_project ON sessions(project, started_at);

                CREATE TABLE user_prompts (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    created_at  TEXT NOT NULL,
                    prompt      TEXT NOT NULL
                );
                CREATE INDEX idx_prompts_session ON user_prompts(session_id);

                CREATE TABLE observations (
                    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
                    queue_id            INTEGER UNIQUE,              -- the pending_queue item it came from: at most once
                    session_id          TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    project             TEXT NOT NULL,
                    created_at          TEXT NOT NULL,
                    hook_type           TEXT NOT NULL,               -- PostToolUse | UserPrompt
                    tool_name           TEXT,
                    title               TEXT NOT NULL,
                    summary             TEXT NOT NULL,
                    detail              TEXT,
                    files_touched       TEXT NOT NULL DEFAULT '[]',  -- JSON array of paths
                    functions_changed   TEXT NOT NULL DEFAULT '[]',  -- JSON array of {file, name, action}
                    raw_size_bytes      INTEGER,
                    compressed_tokens   INTEGER,
                    compression_time_ms INTEGER,
                    compressor          TEXT NOT NULL DEFAULT 'heuristic'
                );
                CREATE INDEX idx_obs_session ON observations(session_id);
                CREATE INDEX idx_obs_project_time ON observations(project, created_at);

                CREATE TABLE function_map (
                    id              INTEGER PRIMARY KEY AUTOINCREMENT,
                    project         TEXT NOT NULL,
                    file_path       TEXT NOT NULL,
                    snapshot_at     TEXT NOT NULL,
                    session_id      TEXT NOT NULL,
                    qualified_name  TEXT NOT NULL,
                    ordinal         INTEGER NOT NULL DEFAULT 0,      -- keeps same-named definitions (setters, overloads) apart
                    kind            TEXT NOT NULL,
                    parent_class    TEXT,
                    signature       TEXT NOT NULL,
                    decorators      TEXT,
                    docstring       TEXT,
                    line_start      INTEGER NOT NULL,
                    line_end        INTEGER NOT NULL,
                    body_hash       TEXT NOT NULL,
                    prev_hash       TEXT,
                    change_type     TEXT,                            -- new | modified | unchanged | deleted
                    UNIQUE(project, file_path, qualified_name, ordinal, snapshot_at)
                );
                CREATE INDEX idx_fn_file ON function_map(project, file_path, snapshot_at);
                CREATE INDEX idx_fn_session ON function_map(session_id);
                CREATE INDEX idx_fn_change ON function_map(change_type) WHERE change_type != 'unchanged';

                CREATE TABLE call_graph (
                    id              INTEGER PRIMARY KEY AUTOINCREMENT,
                    project         TEXT NOT NULL,
                    session_id      TEXT NOT NULL,
                    snapshot_at     TEXT NOT NULL,
                    caller_file     TEXT NOT NULL,
                    caller_name     TEXT NOT NULL,
                    callee_name     TEXT NOT NULL,
                    callee_resolved TEXT,
                    resolution      TEXT NOT NULL,                   -- direct | self_method | import | unresolved
                    line_number     INTEGER
                );
                CREATE INDEX idx_cg_caller ON call_graph(project, caller_file, caller_name);
                CREATE INDEX idx_cg_callee ON call_graph(callee_resolved) WHERE callee_resolved IS NOT NULL;

                CREATE TABLE learnings (
                    id              INTEGER PRIMARY KEY AUTOINCREMENT,
                    project         TEXT,                            -- NULL: applies everywhere
                    created_at      TEXT NOT NULL,
                    updated_at      TEXT NOT NULL,
                    category        TEXT NOT NULL,                   -- architecture | convention | gotcha | dependency | pattern
                    content         TEXT NOT NULL,
                    confidence      REAL NOT NULL DEFAULT 0.5,
                    times_seen      INTEGER NOT NULL DEFAULT 1,
                    source_sessions TEXT NOT NULL DEFAULT '[]',
                    is_manual       INTEGER NOT NULL DEFAULT 0,
                    is_active       INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX idx_learnings_project ON learnings(project, is_active, confidence);

                CREATE TABLE pending_queue (
                    id              INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at      TEXT NOT NULL,
                    updated_at      TEXT NOT NULL,
                    session_id      TEXT NOT NULL,
                    project         TEXT NOT NULL,
                    hook_type       TEXT NOT NULL,
                    tool_name       TEXT,
                    payload         TEXT NOT NULL,                   -- JSON: filtered tool input/response + metadata
                    raw_size_bytes  INTEGER NOT NULL DEFAULT 0,
                    status          TEXT NOT NULL DEFAULT 'pending', -- raw | pending | processing | done | failed
                    attempts        INTEGER NOT NULL DEFAULT 0,
                    error           TEXT,
                    next_attempt_at TEXT,                            -- retry backoff
                    lease_until     TEXT                             -- a 'processing' item whose lease ran out is claimable again
                );
                CREATE INDEX idx_queue_status ON pending_queue(status, id);
                CREATE INDEX idx_queue_session ON pending_queue(session_id, status);

                CREATE TABLE event_log (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    timestamp   TEXT NOT NULL,
                    session_id  TEXT,
                    project     TEXT,
                    event_type  TEXT NOT NULL,
                    data        TEXT NOT NULL,
                    duration_ms INTEGER,
                    tokens_in   INTEGER,
                    tokens_out  INTEGER
                );
                CREATE INDEX idx_log_session ON event_log(session_id);
                CREATE INDEX idx_log_type ON event_log(event_type, timestamp);
                CREATE INDEX idx_log_time ON event_log(timestamp);

                CREATE VIRTUAL TABLE memory_fts USING fts5(
                    title, body, files,
                    kind UNINDEXED, ref UNINDEXED, project UNINDEXED, created_at UNINDEXED,
                    tokenize = 'porter unicode61 remove_diacritics 2'
                );

                CREATE TRIGGER obs_fts_ai AFTER INSERT ON observations BEGIN
                    INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                    VALUES (new.id * 4, new.title, new.summary || ' ' || coalesce(new.detail, ''), new.files_touched,
                            'observation', new.id, new.project, new.created_at);
                END;
                CREATE TRIGGER obs_fts_ad AFTER DELETE ON observations BEGIN
                    DELETE FROM memory_fts WHERE rowid = old.id * 4;
                END;
                CREATE TRIGGER obs_fts_au AFTER UPDATE OF title, summary, detail, files_touched, project ON observations BEGIN
                    DELETE FROM memory_fts WHERE rowid = old.id * 4;
                    INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                    VALUES (new.id * 4, new.title, new.summary || ' ' || coalesce(new.detail, ''), new.files_touched,
                            'observation', new.id, new.project, new.created_at);
                END;

                CREATE TRIGGER ses_fts_ai AFTER INSERT ON sessions WHEN new.summary_text IS NOT NULL BEGIN
                    INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                    VALUES (new.seq * 4 + 1, 'Session summary', new.summary_text, '', 'summary', new.id, new.project, new.started_at);
                END;
                CREATE TRIGGER ses_fts_au AFTER UPDATE OF summary_text, project ON sessions BEGIN
                    DELETE FROM memory_fts WHERE rowid = old.seq * 4 + 1;
                    INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                    SELECT new.seq * 4 + 1, 'Session summary', new.summary_text, '', 'summary', new.id, new.project, new.started_at
                    WHERE new.summary_text IS NOT NULL;
                END;
                CREATE TRIGGER ses_fts_ad AFTER DELETE ON sessions BEGIN
                    DELETE FROM memory_fts WHERE rowid = old.seq * 4 + 1;
                END;

                CREATE TRIGGER lrn_fts_ai AFTER INSERT ON learnings WHEN new.is_active = 1 BEGIN
                    INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                    VALUES (new.id * 4 + 2, new.category, new.content, '', 'learning', new.id, coalesce(new.project, ''), new.created_at);
                END;
                CREATE TRIGGER lrn_fts_au AFTER UPDATE OF content, category, is_active, project ON learnings BEGIN
                    DELETE FROM memory_fts WHERE rowid = old.id * 4 + 2;
                    INSERT INTO memory_fts(rowid, title, body, files, kind, ref, project, created_at)
                    SELECT new.id * 4 + 2, new.category, new.content, '', 'learning', new.id, coalesce(new.project, ''), new.created_at
                    WHERE new.is_active = 1;
                END;
                CREATE TRIGGER lrn_fts_ad AFTER DELETE ON learnings BEGIN
                    DELETE FROM memory_fts WHERE rowid = old.id * 4 + 2;
                END;
                """)
    }

    /// Memories an agent saves on purpose (MCP `save_memory`), with their own FTS5 index so
    /// they never disturb the ranking of captured observations.
    private static func v2Memories(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE memories (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    project     TEXT,                                -- NULL: applies everywhere
                    created_at  TEXT NOT NULL,
                    content     TEXT NOT NULL,
                    tags        TEXT NOT NULL DEFAULT '[]',          -- JSON array of strings
                    metadata    TEXT NOT NULL DEFAULT '{}',          -- JSON object given by the client
                    source      TEXT                                 -- which client saved it (mcp, cli)
                );
                CREATE INDEX idx_memories_project ON memories(project, created_at);

                CREATE VIRTUAL TABLE memories_fts USING fts5(
                    content, tags, tokenize = 'porter unicode61 remove_diacritics 2'
                );
                CREATE TRIGGER mem_fts_ai AFTER INSERT ON memories BEGIN
                    INSERT INTO memories_fts(rowid, content, tags) VALUES (new.id, new.content, new.tags);
                END;
                CREATE TRIGGER mem_fts_ad AFTER DELETE ON memories BEGIN
                    DELETE FROM memories_fts WHERE rowid = old.id;
                END;
                CREATE TRIGGER mem_fts_au AFTER UPDATE OF content, tags ON memories BEGIN
                    DELETE FROM memories_fts WHERE rowid = old.id;
                    INSERT INTO memories_fts(rowid, content, tags) VALUES (new.id, new.content, new.tags);
                END;
                """)
    }

    /// Vectors beside the FTS rows. A record's embedding status is derived: no row, or a row from another
    /// model, is pending; `status` says done or failed. `fts_rowid` is the record's memory_fts rowid, the key
    /// of the in-memory index, so semantic hits filter and hydrate exactly like keyword hits.
    private static func v2Vectors(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE embeddings (
                    kind        TEXT NOT NULL,                   -- observation | summary | learning
                    ref         TEXT NOT NULL,                   -- observation id, session id, learning id
                    fts_rowid   INTEGER NOT NULL,
                    model       TEXT NOT NULL,                   -- the embedder's modelID: a change re-embeds
                    dims        INTEGER NOT NULL,
                    vector      BLOB,                            -- float32 little-endian; NULL when failed
                    status      TEXT NOT NULL DEFAULT 'done',    -- done | failed
                    error       TEXT,
                    updated_at  TEXT NOT NULL,
                    PRIMARY KEY (kind, ref)
                );
                CREATE INDEX idx_embeddings_model ON embeddings(model, status);

                CREATE TRIGGER obs_emb_ad AFTER DELETE ON observations BEGIN
                    DELETE FROM embeddings WHERE kind = 'observation' AND ref = CAST(old.id AS TEXT);
                END;
                CREATE TRIGGER obs_emb_au AFTER UPDATE OF title, summary ON observations BEGIN
                    DELETE FROM embeddings WHERE kind = 'observation' AND ref = CAST(old.id AS TEXT);
                END;
                CREATE TRIGGER ses_emb_ad AFTER DELETE ON sessions BEGIN
                    DELETE FROM embeddings WHERE kind = 'summary' AND ref = old.id;
                END;
                CREATE TRIGGER ses_emb_au AFTER UPDATE OF summary_text ON sessions BEGIN
                    DELETE FROM embeddings WHERE kind = 'summary' AND ref = old.id;
                END;
                CREATE TRIGGER lrn_emb_ad AFTER DELETE ON learnings BEGIN
                    DELETE FROM embeddings WHERE kind = 'learning' AND ref = CAST(old.id AS TEXT);
                END;
                CREATE TRIGGER lrn_emb_au AFTER UPDATE OF content ON learnings BEGIN
                    DELETE FROM embeddings WHERE kind = 'learning' AND ref = CAST(old.id AS TEXT);
                END;
                """)
    }

    /// Enrichment (code snapshots, vectors) runs after an observation is committed: each step it still owes is a
    /// row here, written in the observation's transaction and deleted in the step's own, so a step is done at most
    /// once and one interrupted by a crash is found again.
    private static func v3Enrichment(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE enrichment_pending (
                    observation_id INTEGER NOT NULL REFERENCES observations(id) ON DELETE CASCADE,
                    step           TEXT NOT NULL,                  -- code | embedding | …
                    attempts       INTEGER NOT NULL DEFAULT 0,
                    error          TEXT,
                    PRIMARY KEY (observation_id, step)
                ) WITHOUT ROWID;
                """)
    }

    /// The function library: every saved version of a Python function (one latest per name), its runs, and a
    /// keyword index over the searchable text of each version kept in sync by triggers.
    private static func v3Functions(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE functions (
                    id            INTEGER PRIMARY KEY,
                    project       TEXT NOT NULL,
                    name          TEXT NOT NULL,
                    version       INTEGER NOT NULL,
                    signature     TEXT NOT NULL,
                    docstring     TEXT,
                    summary       TEXT,
                    source        TEXT NOT NULL,
                    body_hash     TEXT NOT NULL,
                    dependencies  TEXT NOT NULL DEFAULT '[]',   -- JSON: library functions it calls
                    modules       TEXT NOT NULL DEFAULT '[]',   -- JSON: modules it imports
                    complexity    INTEGER NOT NULL,
                    risk_score    INTEGER NOT NULL,
                    risk_findings TEXT NOT NULL DEFAULT '[]',
                    tests_json    TEXT,
                    tests_passed  INTEGER,
                    tests_failed  INTEGER,
                    status        TEXT NOT NULL,                -- ok | failing
                    is_latest     INTEGER NOT NULL DEFAULT 0,
                    created_at    TEXT NOT NULL,
                    author        TEXT,
                    restored_from INTEGER,
                    UNIQUE (project, name, version)
                );
                CREATE UNIQUE INDEX idx_functions_latest ON functions(project, name) WHERE is_latest = 1;

                CREATE TABLE function_runs (
                    id             INTEGER PRIMARY KEY,
                    project        TEXT NOT NULL,
                    name           TEXT NOT NULL,
                    version        INTEGER NOT NULL,
                    kind           TEXT NOT NULL,               -- run | test
                    arguments_hash TEXT NOT NULL,
                    status         TEXT NOT NULL,
                    duration_ms    REAL NOT NULL,
                    peak_memory_kb INTEGER NOT NULL,
                    created_at     TEXT NOT NULL
                );
                CREATE INDEX idx_function_runs_name ON function_runs(project, name, version);

                CREATE VIRTUAL TABLE functions_fts USING fts5(name, signature, docstring, summary, source, tokenize = 'unicode61');
                CREATE TRIGGER functions_ai AFTER INSERT ON functions BEGIN
                    INSERT INTO functions_fts(rowid, name, signature, docstring, summary, source)
                    VALUES (new.id, replace(new.name, '_', ' ') || ' ' || new.name, new.signature, coalesce(new.docstring, ''),
                            coalesce(new.summary, ''), new.source);
                END;
                CREATE TRIGGER functions_ad AFTER DELETE ON functions BEGIN
                    DELETE FROM functions_fts WHERE rowid = old.id;
                END;
                """)
    }

    /// Claude Code's `prompt_id` on prompts and on the observations of the tool calls each prompt caused; saved
    /// memories' vectors (kind 'memory', key id*4+3) dropped with the memory or its old text.
    private static func v4PromptIDsMemoryVectors(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE user_prompts ADD COLUMN prompt_id TEXT;
                ALTER TABLE observations ADD COLUMN prompt_id TEXT;
                CREATE INDEX idx_prompts_prompt_id ON user_prompts(prompt_id) WHERE prompt_id IS NOT NULL;

                CREATE TRIGGER mem_emb_ad AFTER DELETE ON memories BEGIN
                    DELETE FROM embeddings WHERE kind = 'memory' AND ref = CAST(old.id AS TEXT);
                END;
                CREATE TRIGGER mem_emb_au AFTER UPDATE OF content ON memories BEGIN
                    DELETE FROM embeddings WHERE kind = 'memory' AND ref = CAST(old.id AS TEXT);
                END;
                """)
    }
}
