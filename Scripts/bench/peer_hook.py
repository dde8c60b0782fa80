# The peer `engram-bench hooks` measures beside engram's post-tool-use hook: a PostToolUse hook in Python
# (stdlib only) doing the same work: validate, drop private spans, redact secrets, bound, insert.
import json, re, sqlite3, sys, datetime
PRIVATE = re.compile(r"<private>.*?</private>", re.S | re.I)
SECRETS = [re.compile(p) for p in [r"sk-ant-[A-Za-z0-9_-]{20,}", r"sk-[A-Za-z0-9]{20,}", r"AKIA[0-9A-Z]{16}",
           r"gh[pousr]_[A-Za-z0-9]{36}", r"eyJ[\w-]+\.[\w-]+\.[\w-]+", r"(?i)bearer\s+[\w.~+/-]+=*",
           r"-----BEGIN[^-]*PRIVATE KEY-----[\s\S]*?-----END[^-]*PRIVATE KEY-----",
           r"(?i)\b[\w.]*(password|secret|token|api_key)\w*\s*[=:]\s*\S+"]]
def clean(v):
    if isinstance(v, str):
        v = PRIVATE.sub("", v)
        for p in SECRETS: v = p.sub("[REDACTED]", v)
        return v[:200000]
    if isinstance(v, list): return [clean(x) for x in v]
    if isinstance(v, dict): return {k: clean(x) for k, x in v.items()}
    return v
def main():
    raw = sys.stdin.buffer.read()
    try: data = json.loads(raw.decode("utf-8", "replace"))
    except Exception: return
    if not isinstance(data, dict) or not data.get("tool_name"): return
    payload = json.dumps({"tool_name": data["tool_name"], "tool_input": clean(data.get("tool_input")),
                          "tool_response": clean(data.get("tool_response")), "cwd": data.get("cwd")}, sort_keys=True)
    now = datetime.datetime.utcnow().isoformat() + "Z"
    con = sqlite3.connect(sys.argv[1], timeout=10)
    con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
    with con:
        con.execute("INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, tool_name, payload, raw_size_bytes) VALUES (?,?,?,?,?,?,?,?)",
                    (now, now, data.get("session_id", "unknown"), data.get("cwd", ""), "PostToolUse", data["tool_name"], payload, len(raw)))
        con.execute("INSERT INTO event_log (timestamp, session_id, event_type, data) VALUES (?,?,?,?)",
                    (now, data.get("session_id"), "hook.capture", json.dumps({"tool_name": data["tool_name"]})))
    con.close()
main()
