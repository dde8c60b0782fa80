#!/usr/bin/env python3
"""A local stand-in for the Anthropic Messages API and the OpenAI chat completions API.

Test tooling only. Serves recorded responses from scenario files so EngramAI's tests can run
without network access or keys.

    python3 fake_llm_server.py --scenarios DIR

Binds 127.0.0.1 on a free port and prints the port as the first line on stdout.
Exits when stdin reaches end of file (the test process went away) or after --max-seconds.

Routes (<run> is any id the client picks, so tests sharing one server do not see each other)
  POST /<run>/<scenario>/v1/messages            Anthropic wire format
  POST /<run>/<scenario>/v1/chat/completions    OpenAI wire format (also Ollama, llama.cpp, vLLM)
  GET  /_requests?run=<run>                     requests received for that run, as a JSON array

A scenario file DIR/<scenario>.json holds {"api": "anthropic"|"openai", "responses": [...]}.
The n-th request of a run to a scenario gets responses[n] (the last one repeats). A response is
{"status": int, "headers": {...}, "body": <json> | "body_text": str, "delay_seconds": float,
"trickle_seconds": float}. delay_seconds waits before answering; trickle_seconds sends the body one
byte at a time spread over that long (a server that is never idle yet never finishes in time).
The text "{{API_KEY}}" in a body is replaced with the key the client sent (to test redaction).

Like the real APIs, requests missing the headers or body fields the API requires are refused
with that API's error shape, before any scenario response is used.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ANTHROPIC_PATH = "/v1/messages"
OPENAI_PATH = "/v1/chat/completions"


class State:
    def __init__(self, scenarios_dir):
        self.scenarios_dir = scenarios_dir
        self.lock = threading.Lock()
        self.counters = {}
        self.requests = []

    def load(self, name):
        if not name or "/" in name or name.startswith("."):
            return None
        path = os.path.join(self.scenarios_dir, name + ".json")
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)

    def next_index(self, name):
        with self.lock:
            index = self.counters.get(name, 0)
            self.counters[name] = index + 1
            return index

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)

    def snapshot(self, run):
        with self.lock:
            return [entry for entry in self.requests if run is None or entry["run"] == run]


def anthropic_error(status, kind, message):
    return status, {"type": "error", "error": {"type": kind, "message": message},
                    "request_id": "req_011CVfakeLocalServer000001"}


def openai_error(status, kind, message, code=None):
    return status, {"error": {"message": message, "type": kind, "param": None, "code": code}}


def check_anthropic(headers, body):
    if not headers.get("x-api-key"):
        return anthropic_error(401, "authentication_error", "x-api-key header is required")
    if headers.get("anthropic-version") != "2023-06-01":
        return anthropic_error(400, "invalid_request_error", "anthropic-version: header is required")
    if not isinstance(body, dict):
        return anthropic_error(400, "invalid_request_error", "Request body is not valid JSON")
    for field in ("model", "max_tokens", "messages"):
        if field not in body:
            return anthropic_error(400, "invalid_request_error", f"{field}: Field required")
    if not isinstance(body["messages"], list) or not body["messages"]:
        return anthropic_error(400, "invalid_request_error", "messages: at least one message is required")
    for message in body["messages"]:
        if message.get("role") not in ("user", "assistant"):
            return anthropic_error(400, "invalid_request_error", "messages: Unexpected role")
    return None


def check_openai(headers, body, scenario):
    authorization = headers.get("authorization", "")
    if scenario.get("requires_auth", True) and not authorization.startswith("Bearer "):
        return openai_error(401, "invalid_request_error",
                            "You didn't provide an API key. You need to provide your API key in an "
                            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
    if not isinstance(body, dict):
        return openai_error(400, "invalid_request_error", "We could not parse the JSON body of your request.")
    for field in ("model", "messages"):
        if field not in body:
            return openai_error(400, "invalid_request_error", f"Missing required parameter: '{field}'.")
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-llm/1.0"

    def log_message(self, format, *args):  # keep stdout for the port line only
        pass

    def send_json(self, status, payload, headers=None, text=None, trickle_seconds=0.0):
        data = (text if text is not None else json.dumps(payload)).encode("utf-8")
        try:
            self.send_response(status)
            sent = set()
            for key, value in (headers or {}).items():
                self.send_header(key, str(value))
                sent.add(key.lower())
            if "content-type" not in sent:
                self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            if trickle_seconds > 0:
                pause = trickle_seconds / max(len(data), 1)
                for index in range(len(data)):
                    self.wfile.write(data[index:index + 1])
                    self.wfile.flush()
                    time.sleep(pause)
            else:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test); nothing to answer

    def do_GET(self):
        if self.path.startswith("/_requests"):
            query = parse_qs(urlsplit(self.path).query)
            self.send_json(200, self.server.state.snapshot(query.get("run", [None])[0]))
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {key.lower(): value for key, value in self.headers.items()}

        parts = self.path.split("/", 3)
        run, scenario_name = (parts[1], parts[2]) if len(parts) > 3 else ("", "")
        route = "/" + parts[3] if len(parts) > 3 else self.path
        self.server.state.record({"run": run, "scenario": scenario_name, "method": "POST", "path": self.path,
                                  "headers": headers, "body": body})

        scenario = self.server.state.load(scenario_name)
        if scenario is None:
            self.send_json(404, {"error": f"unknown scenario {scenario_name!r}"})
            return
        api = scenario.get("api")
        if route == ANTHROPIC_PATH and api == "anthropic":
            refusal = check_anthropic(headers, body)
            key = headers.get("x-api-key", "")
        elif route == OPENAI_PATH and api == "openai":
            refusal = check_openai(headers, body, scenario)
            key = headers.get("authorization", "").removeprefix("Bearer ")
        else:
            self.send_json(404, {"error": f"route {route} is not served by scenario {scenario_name!r}"})
            return
        if refusal is not None:
            self.send_json(*refusal)
            return

        responses = scenario["responses"]
        response = responses[min(self.server.state.next_index((run, scenario_name)), len(responses) - 1)]
        delay = float(response.get("delay_seconds", 0))
        if delay > 0:
            time.sleep(delay)  # the scenario IS a slow server
        if "body_text" in response:
            text = response["body_text"]
        else:
            text = json.dumps(response.get("body"))
        text = text.replace("{{API_KEY}}", key)
        self.send_json(int(response.get("status", 200)), None, response.get("headers"), text=text,
                       trickle_seconds=float(response.get("trickle_seconds", 0)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", required=True, help="folder of <scenario>.json files")
    parser.add_argument("--max-seconds", type=float, default=600, help="exit after this long whatever happens")
    args = parser.parse_args()
    # A child inherits its parent's blocked signals; the Swift test runner blocks SIGTERM in its
    # threads, which would make Process.terminate() a no-op.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    ThreadingHTTPServer.request_queue_size = 256  # tests connect in parallel; the default 5 resets connections
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args.scenarios)
    print(server.server_address[1], flush=True)

    def exit_when_parent_goes():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    watchdog = threading.Timer(args.max_seconds, lambda: os._exit(0))
    watchdog.daemon = True
    watchdog.start()
    server.serve_forever()


if __name__ == "__main__":
    main()
