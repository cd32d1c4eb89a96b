"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol with
scripted answers, for tests and benchmarks of question checks (never a mock in place of the
client): `with ChatServer(script) as server: ... server.url ...`.

A script is a function of the request's JSON body returning a `Reply`; `reader` is a small
"model" that reads the transcript lines in the prompt and quotes the first one holding a word.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

LINE = re.compile(r"^\[(?P<time>[^\]]+)\] (?P<speaker>.+?) \((?P<role>\w+)\): (?P<text>.*)$", re.M)


@dataclass
class Reply:
    status: int = 200
    content: str | None = None      # the message content (the model's answer)
    body: str | None = None         # the raw HTTP body instead, for broken servers
    delay: float = 0.0              # seconds before answering (a slow server)


def completion(content: str, prompt_tokens: int = 100, completion_tokens: int = 20) -> str:
    return json.dumps({
        "id": "chatcmpl-test", "object": "chat.completion", "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens}})


def answer(verdict: str, evidence: list[dict] | None = None, reason: str = "scripted") -> str:
    return json.dumps({"verdict": verdict, "evidence": evidence or [], "reason": reason})


def lines(body: dict) -> list[dict]:
    """The transcript lines of a request's prompt: time, speaker, role, text."""
    prompt = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return [m.groupdict() for m in LINE.finditer(prompt)]


def reader(word: str, role: str = "rep") -> Callable[[dict], Reply]:
    """A model that passes when a `role` line holds `word`, quoting it; else it fails."""
    def script(body: dict) -> Reply:
        for line in lines(body):
            if line["role"] == role and word in line["text"].lower():
                return Reply(content=answer("pass", [{"time": line["time"],
                                                      "speaker": line["speaker"],
                                                      "quote": line["text"]}],
                                            f"the {role} says {word}"))
        return Reply(content=answer("fail", [], f"no {role} line says {word}"))
    return script


class ChatServer:
    def __init__(self, script: Callable[[dict], Reply]):
        self.script = script
        self.requests: list[dict] = []     # every request body received, in order
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                if self.path != "/v1/chat/completions":
                    return self._send(404, json.dumps({"error": {"message": "not found"}}))
                reply = server.script(body)
                if reply.delay:
                    time.sleep(reply.delay)
                text = reply.body if reply.body is not None else (
                    completion(reply.content) if reply.status == 200 else
                    json.dumps({"error": {"message": f"scripted {reply.status}"}}))
                self._send(reply.status, text)

            def _send(self, status: int, text: str):
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):   # the client gave up
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> "ChatServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
