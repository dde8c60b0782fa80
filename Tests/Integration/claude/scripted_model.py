"""A scripted stand-in for the Anthropic Messages API, for running the real Claude Code CLI against engram.

Each conversation names its script in its first prompt ("[script:NAME]"); the reply to a request is the
script's step at the number of tool results already in the conversation: a tool call, or the final text
(repeated for any later request of that conversation).
Requests without a script (the CLI's own side requests: titles, summaries) get a short text. Every request body
is appended to REQUESTS_LOG as one JSON line, so a test can check what reached the model.

Usage: python3 scripted_model.py PORT_FILE REQUESTS_LOG PROJECT_DIR
(the port the server listens on is written to PORT_FILE once it is ready).
"""

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def scripts(project):
    app = os.path.join(project, "app.py")
    return {
        # Reads app.py, then edits it (Claude Code refuses an Edit of a file it has not read).
        "edit": [
            ("Read", {"file_path": app}),
            ("Edit", {"file_path": app, "old_string": "return a - b", "new_string": "return a + b"}),
            "Fixed add() in app.py: it subtracted.",
        ],
        # A test run that exits non-zero: PostToolUseFailure, not PostToolUse.
        "failing-test": [
            ("Bash", {"command": "python3 -m unittest test_app", "description": "Run the unit tests"}),
            "The test test_divide fails with ZeroDivisionError.",
        ],
        # A new session: the briefing must be in what the model is sent; nothing to do.
        "briefing": ["I see the memory of earlier sessions."],
        # engram's MCP search, found through ToolSearch as Claude Code defers MCP tools.
        "search": [
            ("ToolSearch", {"query": "select:mcp__engram__search", "max_results": 1}),
            ("mcp__engram__search", {"query": "ZeroDivisionError"}),
            "engram remembers the failing test.",
        ],
    }


def text_of(content):
    if isinstance(content, str):
        return content
    out = []
    for block in content or []:
        if block.get("type") == "text":
            out.append(block.get("text", ""))
        elif block.get("type") == "tool_result":
            out.append(text_of(block.get("content")))
    return "\n".join(out)


def script_name(body):
    for message in body.get("messages", []):
        if message.get("role") == "user":
            text = text_of(message.get("content"))
            if "[script:" in text:
                return text.split("[script:", 1)[1].split("]", 1)[0]
    return None


def reply_blocks(body, table):
    name = script_name(body)
    if name not in table:
        return [{"type": "text", "text": "ok"}], "end_turn"
    steps = table[name]
    # The step is how many tool results the conversation holds (Claude Code may merge consecutive assistant turns).
    turn = sum(1 for m in body.get("messages", []) if m.get("role") == "user" and isinstance(m.get("content"), list)
               for block in m["content"] if block.get("type") == "tool_result")
    step = steps[min(turn, len(steps) - 1)]
    if isinstance(step, str):
        return [{"type": "text", "text": step}], "end_turn"
    tool, arguments = step
    return [{"type": "tool_use", "id": "toolu_%s_%d" % (name.replace("-", ""), turn), "name": tool, "input": arguments}], "tool_use"


def sse(events):
    return "".join("event: %s\ndata: %s\n\n" % (e["type"], json.dumps(e)) for e in events).encode()


def stream_events(model, blocks, stop_reason):
    events = [{"type": "message_start", "message": {
        "id": "msg_scripted", "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 1}}}]
    for index, block in enumerate(blocks):
        if block["type"] == "text":
            events.append({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}})
            events.append({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": block["text"]}})
        else:
            start = dict(block, input={})
            events.append({"type": "content_block_start", "index": index, "content_block": start})
            events.append({"type": "content_block_delta", "index": index,
                           "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}})
        events.append({"type": "content_block_stop", "index": index})
    events.append({"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                   "usage": {"output_tokens": 5}})
    events.append({"type": "message_stop"})
    return events


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, content_type, data):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.send(404, "application/json", b'{"type":"error","error":{"type":"not_found_error","message":"not here"}}')

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            with open(self.server.log_path, "a") as log:
                log.write(json.dumps({"time": time.time(), "path": path, "body": body}) + "\n")
        if path.endswith("/count_tokens"):
            return self.send(200, "application/json", b'{"input_tokens": 100}')
        if not path.endswith("/messages"):
            return self.do_GET()
        blocks, stop = reply_blocks(body, self.server.table)
        model = body.get("model", "claude-scripted")
        if body.get("stream"):
            return self.send(200, "text/event-stream", sse(stream_events(model, blocks, stop)))
        message = {"id": "msg_scripted", "type": "message", "role": "assistant", "model": model, "content": blocks,
                   "stop_reason": stop, "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 5}}
        self.send(200, "application/json", json.dumps(message).encode())


def main():
    port_file, log_path, project = sys.argv[1:4]
    # A parent that blocks signals in the thread that starts us (a test runner) must still be able to stop us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.lock = threading.Lock()
    server.log_path = log_path
    server.table = scripts(project)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
