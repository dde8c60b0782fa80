#!/usr/bin/env python3
"""Local stand-ins for remote services, for EngramEmbeddings tests (python stdlib only).

  fake_hub.py hub ROOT      serves ROOT/{owner}/{repo}/{file} in the Hugging Face hub layout:
                            GET /{repo}/resolve/main/{file}, GET /api/models/{repo}/tree/main (sha256 as lfs.oid).
                            ROOT/sha_overrides.json ({"path": "sha"}) makes the listing report other hashes.
  fake_hub.py openai        speaks POST /v1/embeddings like OpenAI: deterministic vectors from the text,
                            requires "Authorization: Bearer <key>" when ENGRAM_FAKE_KEY is set; model "fail-500"
                            answers 500, model "bad-json" answers garbage; models named "bow…" answer bag-of-words
                            vectors (64 hashed word buckets unless "dimensions" is sent), so texts sharing words are near;
                            model "hold" answers only after POST /release (GET /held counts the requests waiting),
                            a provider as slow as the test needs.

Binds 127.0.0.1 on an ephemeral port and prints "PORT <n>" on the first stdout line.
"""
import hashlib
import json
import os
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def hub_handler(root):
    class Hub(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status, body, ctype="application/octet-stream"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?")[0]
            if path.startswith("/api/models/") and "/tree/" in path:
                repo = path[len("/api/models/"):].split("/tree/")[0]
                base = os.path.join(root, repo)
                if not os.path.isdir(base):
                    return self.send(404, b'{"error":"Repository not found"}', "application/json")
                overrides = {}
                opath = os.path.join(root, "sha_overrides.json")
                if os.path.exists(opath):
                    overrides = json.load(open(opath))
                items = []
                for d, _, files in os.walk(base):
                    for f in files:
                        full = os.path.join(d, f)
                        rel = os.path.relpath(full, base).replace(os.sep, "/")
                        data = open(full, "rb").read()
                        sha = overrides.get(rel, hashlib.sha256(data).hexdigest())
                        items.append({"type": "file", "path": rel, "size": len(data),
                                      "oid": hashlib.sha1(data).hexdigest(),
                                      "lfs": {"oid": sha, "size": len(data)}})
                return self.send(200, json.dumps(items).encode(), "application/json")
            if "/resolve/" in path:
                repo, rest = path.lstrip("/").split("/resolve/", 1)
                file = rest.split("/", 1)[1] if "/" in rest else ""
                full = os.path.normpath(os.path.join(root, repo, file))
                if not full.startswith(os.path.abspath(root)) or not os.path.isfile(full):
                    return self.send(404, b"Entry not found", "text/plain")
                return self.send(200, open(full, "rb").read())
            self.send(404, b"not found", "text/plain")

    return Hub


RELEASED = threading.Event()
HELD = [0]
HELD_LOCK = threading.Lock()


class OpenAI(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.split("?")[0] == "/held":
            with HELD_LOCK:
                return self.send(200, {"held": HELD[0]})
        self.send(404, {"error": {"message": "no such route"}})

    def send(self, status, obj):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path.split("?")[0] == "/release":
            RELEASED.set()
            return self.send(200, {"released": True})
        if self.path.split("?")[0] != "/v1/embeddings":
            return self.send(404, {"error": {"message": "no such route"}})
        key = os.environ.get("ENGRAM_FAKE_KEY")
        if key and self.headers.get("Authorization") != "Bearer " + key:
            return self.send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length) or b"{}")
        model = req.get("model", "")
        if model == "fail-500":
            return self.send(500, {"error": {"message": "model crashed"}})
        if model == "bad-json":
            return self.send(200, b"<html>nope</html>")
        if model == "hold":
            with HELD_LOCK:
                HELD[0] += 1
            RELEASED.wait(120)
            with HELD_LOCK:
                HELD[0] -= 1
        inputs = req.get("input", [])
        if isinstance(inputs, str):
            inputs = [inputs]
        bow = model.startswith("bow")
        dims = int(req.get("dimensions") or (64 if bow else 8))
        data = []
        for i, text in enumerate(inputs):
            if bow:
                vec = [0.0] * dims
                for word in re.findall(r"[a-z0-9]+", text.lower()):
                    vec[int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "big") % dims] += 1.0
                vec[0] += 0.01  # never the zero vector
            else:
                digest = hashlib.sha256(text.encode()).digest()
                vec = [(digest[j % 32] - 128) / 128.0 for j in range(dims)]
            data.append({"object": "embedding", "index": i, "embedding": vec})
        data.reverse()  # real servers may answer out of order; clients must sort by index
        self.send(200, {"object": "list", "data": data, "model": model,
                        "usage": {"prompt_tokens": 1, "total_tokens": 1}})


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "hub"
    handler = hub_handler(os.path.abspath(sys.argv[2])) if mode == "hub" else OpenAI
    # The parent may have SIGTERM blocked (inherited mask); unblock it, and also exit when stdin closes.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

    def watch_stdin():
        try:
            sys.stdin.buffer.read()
        finally:
            os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
