package import MCP

/// The tools engram offers, with JSON schemas and descriptions written for the model that
/// chooses between them: each says when to use it and what to call next.
package enum ToolCatalog {
    package static let names = tools.map(\.name)

    static let projectProperty: Value = [
        "type": "string",
        "description":
            "Project root directory, absolute or relative to the server's project. Defaults to the project the server was started in; must lie inside it.",
    ]

    package static let tools: [Tool] =
        [
            Tool(
                name: "search",
                title: "Search memory",
                description: """
                    Search engram's memory of past coding sessions in this project: observations (what was done to which files), \
                    session summaries and learnings. Use it FIRST when the user asks "did we already…", "how did we fix…", "why is…", \
                    or before changing code that may have history. Returns a compact index (id, time, title, files), not full records: \
                    pick the relevant ids, then call `timeline` for context around one, or `get_observations` for full details.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "query": [
                            "type": "string", "minLength": 1,
                            "description": "Keywords to search for, e.g. \"login token refresh\" or a file or function name.",
                        ],
                        "project": projectProperty,
                        "kind": [
                            "type": "string", "enum": ["observation", "summary", "learning", "memory"],
                            "description": "Only this kind of record (memory: what save_memory kept).",
                        ],
                        "include_memories": [
                            "type": "boolean", "default": false,
                            "description": "Also rank in the memories saved with `save_memory` (ids like M3).",
                        ],
                        "files": [
                            "type": "array", "items": ["type": "string"], "maxItems": 20,
                            "description": "Only records that touched one of these files (paths inside the project).",
                        ],
                        "since": ["type": "string", "description": "Only records newer than this: 30m, 2h, 7d, 2w, or a date like 2026-11-01."],
                        "limit": ["type": "integer", "minimum": 1, "maximum": 50, "default": 10],
                    ],
                    "required": ["query"],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Search memory", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "timeline",
                title: "Timeline around an observation",
                description: """
                    Show what happened around one observation (by id from `search`, e.g. "#42") or around a moment in time: the \
                    neighbouring observations, user prompts and session starts/ends, oldest first. Use it after `search` to understand \
                    the sequence of events before reading full records with `get_observations`.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "id": ["type": "string", "description": "An observation id from search, e.g. \"#42\". Give this or `time`."],
                        "time": [
                            "type": "string", "description": "An ISO 8601 time or date (2026-11-01T10:00Z), or a relative one (2h = two hours ago).",
                        ],
                        "project": projectProperty,
                        "before": ["type": "integer", "minimum": 0, "maximum": 50, "default": 5],
                        "after": ["type": "integer", "minimum": 0, "maximum": 50, "default": 5],
                    ],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Timeline", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "get_observations",
                title: "Get full records",
                description: """
                    Fetch full records by id: observations ("#42"), sessions ("session:ID"), learnings ("L7") and saved memories \
                    ("M3"). Use it as the last step, for the few ids from `search` or `timeline` that matter; it returns summaries, \
                    details, files and functions changed.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "ids": [
                            "type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 50,
                            "description": "Ids as printed by search or timeline.",
                        ]
                    ],
                    "required": ["ids"],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Get records", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "save_memory",
                title: "Save a memory",
                description: """
                    Remember something on purpose for future sessions: a decision and its reason, a user preference, a fact about \
                    this codebase that is not obvious from the code. Use it when the user says "remember…" or when you settle \
                    something worth keeping. Not for routine progress (engram records that by itself). Secrets are redacted.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "text": [
                            "type": "string", "minLength": 1, "description": "The memory, self-contained: it will be read without this conversation.",
                        ],
                        "tags": ["type": "array", "items": ["type": "string"], "maxItems": 20, "description": "Short labels to filter by later."],
                        "project": projectProperty,
                        "metadata": ["type": "object", "description": "Any extra JSON fields to keep with the memory."],
                    ],
                    "required": ["text"],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Save memory", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false)
            ),
            Tool(
                name: "search_memories",
                title: "Search saved memories",
                description: """
                    Search the memories saved with `save_memory` (decisions, preferences, facts). Use it when the user refers to \
                    something they asked you to remember, or to check preferences before acting. An empty query lists the newest. \
                    For what happened in past sessions, use `search` instead.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "query": ["type": "string", "description": "Keywords; empty lists the most recent memories."],
                        "tags": [
                            "type": "array", "items": ["type": "string"], "maxItems": 20, "description": "Only memories with one of these tags.",
                        ],
                        "project": projectProperty,
                        "limit": ["type": "integer", "minimum": 1, "maximum": 50, "default": 10],
                    ],
                    "required": ["query"],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Search memories", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "recent_context",
                title: "Project briefing",
                description: """
                    The briefing engram gives at session start: recent sessions and their summaries, recent changes, learnings and \
                    code hot spots of this project, within a token budget. Use it at the start of work when no briefing was \
                    injected (MCP clients without hooks), or after a long gap.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "project": projectProperty,
                        "budget": ["type": "integer", "minimum": 200, "maximum": 8000, "description": "Token budget (default: the configured one)."],
                    ],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Briefing", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "function_map",
                title: "Function map",
                description: """
                    List the functions, methods and classes of a file (signatures, line ranges, whether they changed recently) from \
                    engram's stored code intelligence, or by analysing the file now if it was never stored (Python and Swift). \
                    Without `path`, lists the files that have a stored map. Use it to orient in a file before reading it whole.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "path": ["type": "string", "description": "A source file inside the project (relative or absolute)."],
                        "project": projectProperty,
                    ],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Function map", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "call_graph",
                title: "Call graph",
                description: """
                    The calls made from a file (or from one function in it): caller, callee, how the callee was resolved, line. \
                    From stored code intelligence, or analysed now for a file never stored. Use it to see what a function depends \
                    on; use `callers` for the reverse direction.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "path": ["type": "string", "description": "A source file inside the project. Without it, edges of every stored file."],
                        "function": ["type": "string", "description": "Only calls made by this function (qualified or last name component)."],
                        "project": projectProperty,
                        "limit": ["type": "integer", "minimum": 1, "maximum": 2000, "default": 200],
                    ],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Call graph", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "callers",
                title: "Who calls a function",
                description: """
                    Find the call sites of a function or method by name ("authenticate" or "AuthService.authenticate") from stored \
                    code intelligence. Use it before changing a function's signature or behaviour, to know what may break.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "name": ["type": "string", "minLength": 1, "description": "Function name, plain or qualified."],
                        "project": projectProperty,
                        "limit": ["type": "integer", "minimum": 1, "maximum": 2000, "default": 200],
                    ],
                    "required": ["name"],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Callers", readOnlyHint: true, openWorldHint: false)
            ),
            Tool(
                name: "learnings",
                title: "Project learnings",
                description: """
                    The project's learnings: conventions, gotchas, architecture facts and dependencies engram distilled from past \
                    sessions, each with a confidence. action "list" shows them (do this before larger changes); "add" records a new \
                    one you are sure of (needs content and category); "confirm" marks one (by id, e.g. "L7") as verified by the user.
                    """,
                inputSchema: [
                    "type": "object",
                    "properties": [
                        "action": ["type": "string", "enum": ["list", "add", "confirm"]],
                        "content": ["type": "string", "description": "For add: the learning, one self-contained sentence."],
                        "category": [
                            "type": "string", "enum": ["architecture", "convention", "gotcha", "dependency", "pattern"],
                            "description": "For add.",
                        ],
                        "id": ["type": "string", "description": "For confirm: the learning id, e.g. \"L7\"."],
                        "project": projectProperty,
                    ],
                    "required": ["action"],
                    "additionalProperties": false,
                ],
                annotations: .init(title: "Learnings", readOnlyHint: false, destructiveHint: false, openWorldHint: false)
            ),
        ] + FunctionLibraryTools.tools

    /// Property names each tool accepts (from its schema), for argument validation.
    static let allowedArguments: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: tools.map { tool in
            (tool.name, Set(tool.inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? []))
        })
}
