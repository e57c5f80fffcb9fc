#!/usr/bin/env python3
"""Local HTTP sink for B3: answers every POST 200 and counts requests per (path, Idempotency-Key).

usage: sink.py PORT_FILE   (binds 127.0.0.1:0, writes its port to PORT_FILE)
GET /stats -> {"requests", "without_key", "keys", "duplicates", "max_per_key", "examples"}
"""
import json, sys, threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts, lock, state = Counter(), threading.Lock(), {"requests": 0, "without_key": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def log_message(self, *args):
        pass

    def reply(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key")
        with lock:
            state["requests"] += 1
            if key:
                counts[(self.path, key)] += 1
            else:
                state["without_key"] += 1
        self.reply({"ok": True})

    def do_GET(self):
        with lock:
            dup = [f"{p} {k} x{n}" for (p, k), n in counts.items() if n != 1]
            self.reply(dict(state, keys=len(counts), duplicates=len(dup),
                            max_per_key=max(counts.values(), default=0), examples=dup[:5]))


class Server(ThreadingHTTPServer):
    request_queue_size = 1024  # socketserver's default backlog of 5 drops connections under load
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (closed) is counted by the runs, not printed here


server = Server(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
