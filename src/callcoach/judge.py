"""Ask a language model, through any OpenAI-compatible chat-completions endpoint (a local
Ollama, llama.cpp server, vLLM or LM Studio, or a hosted one), the question of a `question`
check, and get back one validated answer. The optional extra `callcoach[judge]` (httpx).

    settings = Settings.from_env()          # CALLCOACH_LLM_BASE_URL, _MODEL, _API_KEY, ...
    with Backend(settings) as backend:
        reply = backend.ask(messages, schema)  # Reply(answer=Answer(verdict="pass", ...), ...)

httpx rather than the `openai` package: we need exact control of what is sent and counted
(the SDK retries on its own, which would make `--max-requests` and the request counts lie),
a fallback for servers that reject `response_format` or `seed`, and a light import.
Prompts, quotes and verification belong to the check (scoring/checks/question.py); this
module only speaks the protocol: retries with backoff, timeouts, and answers as JSON.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from callcoach.errors import CallcoachError, UsageError
from callcoach.fmt import shorten

ENV = {"base_url": "CALLCOACH_LLM_BASE_URL", "model": "CALLCOACH_LLM_MODEL",
       "api_key": "CALLCOACH_LLM_API_KEY", "timeout": "CALLCOACH_LLM_TIMEOUT",
       "retries": "CALLCOACH_LLM_RETRIES", "concurrency": "CALLCOACH_LLM_CONCURRENCY"}
DEFAULT_BASE_URL = "http://localhost:11434/v1"   # Ollama's OpenAI-compatible endpoint
ANSWER_TOKENS = 400          # max_tokens asked for: one verdict, a few quotes, one reason
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 30.0       # seconds; a server asking for longer is treated as failing
INSTALL_HINT = "pip install 'callcoach[judge]'"


class JudgeError(CallcoachError):
    """A model's answer could not be had: the server is down, slow, refused, or answered
    something that is not a valid answer. `unreachable`: no server answered at all."""

    def __init__(self, message: str, *, unreachable: bool = False, requests: int = 0, **kw):
        super().__init__(message, **kw)
        self.unreachable = unreachable
        self.requests = requests        # HTTP requests it took to give up


class Evidence(BaseModel):
    model_config = ConfigDict(extra="ignore")

    time: str = Field(description="The quoted line's time as shown in the transcript "
                                  "(mm:ss, or 'turn N' when it has no times).")
    speaker: str = Field(description="Who said it, as shown in the transcript.")
    quote: str = Field(min_length=1, description="Words copied exactly from that line.")


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    verdict: Literal["pass", "fail", "na"]
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str = ""


def answer_schema(verdicts: tuple[str, ...]) -> dict:
    """The JSON Schema of an answer, its verdict limited to `verdicts`: sent in the prompt and
    as `response_format`, so a server that enforces schemas cannot answer anything else."""
    schema = Answer.model_json_schema()
    schema["properties"]["verdict"] = {"type": "string", "enum": list(verdicts)}
    schema["required"] = ["verdict", "evidence", "reason"]
    schema["additionalProperties"] = False
    schema["$defs"]["Evidence"]["required"] = ["time", "speaker", "quote"]
    schema["$defs"]["Evidence"]["additionalProperties"] = False
    return schema


@dataclass(frozen=True, slots=True)
class Settings:
    model: str
    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = None
    timeout: float = 120.0       # seconds per request: a local model on a CPU is slow
    retries: int = 2             # after the first try, on timeouts, 5xx and 429
    concurrency: int = 4         # requests in flight at once
    backoff: float = 1.0         # seconds before the first retry; doubles each time

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings | None":
        """The settings from CALLCOACH_LLM_* variables; None when no model is named."""
        model = (environ.get(ENV["model"]) or "").strip()
        if not model:
            return None
        values: dict = {"model": model}
        base = (environ.get(ENV["base_url"]) or "").strip()
        if base:
            values["base_url"] = base.rstrip("/")
        if environ.get(ENV["api_key"]):
            values["api_key"] = environ[ENV["api_key"]]
        for name, kind, low in (("timeout", float, 0.001), ("retries", int, 0),
                                ("concurrency", int, 1)):
            raw = (environ.get(ENV[name]) or "").strip()
            if raw:
                try:
                    value = kind(raw)
                except ValueError:
                    value = None
                if value is None or value < low:
                    raise UsageError(f"{ENV[name]}={raw!r} is not a valid {name}",
                                     hint=f"a {'number' if kind is float else 'whole number'} "
                                          f"of at least {low:g}")
                values[name] = value
        return cls(**values)

    @property
    def where(self) -> str:
        return f"{self.model} at {self.base_url}"


def require_settings(settings: "Settings | None") -> Settings:
    """`settings`, or the one clear error saying how to configure a model."""
    if settings is None:
        raise UsageError("this rubric has question checks, which a language model answers, and "
                         "no model is configured",
                         hint=f"set {ENV['model']} (and {ENV['base_url']}, default "
                              f"{DEFAULT_BASE_URL}, Ollama's); see docs/judge.md")
    return settings


@dataclass(frozen=True, slots=True)
class Judge:
    """What a scoring run asks a model with: the endpoint, and how many answers at most."""

    settings: Settings
    max_requests: int | None = None


def needs_model(rubric) -> bool:
    """Whether some criterion of `rubric` is answered by a language model."""
    from callcoach.scoring.checks import CHECKS
    return any(CHECKS[c.check.type].EXAMPLES == "verdict" for c in rubric.criteria)


def require_judge(judge: "Judge | None" = None) -> Judge:
    """`judge`, or one from the environment; the one clear error when no model is configured
    or the `judge` extra is not installed."""
    judge = judge or Judge(require_settings(Settings.from_env()))
    try:
        import httpx  # noqa: F401
    except ImportError:
        raise _not_installed() from None
    return judge


def _not_installed() -> UsageError:
    return UsageError("question checks need an HTTP client that is not installed",
                      hint=INSTALL_HINT)


@dataclass(frozen=True, slots=True)
class Reply:
    answer: Answer
    prompt_tokens: int | None      # as the server counted them, when it says
    completion_tokens: int | None
    requests: int                  # HTTP requests it took (retries included)


class Backend:
    """One HTTP client for one endpoint and model; thread-safe, so a pool of threads shares it."""

    def __init__(self, settings: Settings):
        try:
            import httpx
        except ImportError:
            raise _not_installed() from None
        self.httpx = httpx
        self.settings = settings
        headers = {"Content-Type": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        self.client = httpx.Client(base_url=settings.base_url, headers=headers,
                                   timeout=httpx.Timeout(settings.timeout, connect=10.0),
                                   trust_env=False)
        # Servers that reject response_format (or seed) get prompts without it from then on.
        self.plain = False

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def ask(self, messages: list[dict], schema: dict,
            verdicts: tuple[str, ...] = ("pass", "fail", "na")) -> Reply:
        """One validated answer. An answer that is not one JSON object of the schema gets one
        more chance, told what was wrong; then it is a JudgeError."""
        requests = 0
        prompt = completion = None
        convo = list(messages)
        for attempt in (1, 2):
            try:
                data, n = self._complete(convo, schema)
            except JudgeError as e:
                e.requests += requests
                raise
            requests += n
            usage = data.get("usage") or {}
            prompt = _add(prompt, usage.get("prompt_tokens"))
            completion = _add(completion, usage.get("completion_tokens"))
            content = _content(data)
            try:
                answer = parse_answer(content, verdicts)
                return Reply(answer, prompt, completion, requests)
            except ValueError as e:
                problem = str(e)
            if attempt == 1:
                convo = convo + [
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": f"That is not a valid answer: {problem}. Reply "
                                                f"with only the JSON object, nothing else."}]
        raise JudgeError(f"{self.settings.model} gave no valid answer twice: {problem}",
                         requests=requests,
                         hint="a larger model, or one that supports JSON output, answers "
                              "more reliably")

    def _complete(self, messages: list[dict], schema: dict) -> tuple[dict, int]:
        body = {"model": self.settings.model, "messages": messages, "temperature": 0,
                "max_tokens": ANSWER_TOKENS, "stream": False}
        if not self.plain:
            body["seed"] = 0
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "answer", "schema": schema, "strict": True}}
        sent = 0
        delay = self.settings.backoff
        while True:
            sent += 1
            failure, retry_after = self._post(body)
            if isinstance(failure, dict):
                return failure, sent
            status, message = failure
            if status == 400 and not self.plain and re.search(
                    r"response_format|json_schema|seed|unsupported|unknown", message, re.I):
                self.plain = True
                for key in ("seed", "response_format"):
                    body.pop(key, None)
                continue
            if status not in RETRY_STATUS and status != 0 or sent > self.settings.retries:
                raise JudgeError(f"{self.settings.where}: {message}"
                                 + (f" (after {sent} tries)" if sent > 1 else ""),
                                 unreachable=status == 0, requests=sent,
                                 hint=_hint(status, self.settings))
            time.sleep(retry_after if retry_after is not None else delay)
            delay *= 2

    def _post(self, body: dict) -> tuple[dict | tuple[int, str], float | None]:
        """(the response JSON, None), or ((status, message), seconds to wait) where status 0
        means no HTTP answer at all (refused, timed out, cut off)."""
        httpx = self.httpx
        try:
            r = self.client.post("/chat/completions", json=body)
        except httpx.TimeoutException:
            return (0, f"no answer within {self.settings.timeout:g} s"), None
        except httpx.HTTPError as e:
            return (0, f"cannot reach the server: {type(e).__name__}: {shorten(str(e), 160)}"), None
        if r.status_code != 200:
            wait = None
            raw = r.headers.get("retry-after")
            if raw:
                try:
                    wait = float(raw)
                except ValueError:
                    wait = None
                if wait is not None and wait > MAX_RETRY_AFTER:
                    wait = None
            return (r.status_code, f"HTTP {r.status_code}: {_error_text(r)}"), wait
        try:
            data = r.json()
        except ValueError:
            return (502, f"the server's reply is not JSON: {shorten(r.text, 120)!r}"), None
        if not isinstance(data, dict):
            return (502, "the server's reply is not a chat completion"), None
        return data, None


def parse_answer(content: str, verdicts: tuple[str, ...]) -> Answer:
    """The answer in a message's content: one JSON object (a ```json fence around it is
    tolerated: small local models add one). ValueError says what is wrong."""
    text = content.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.S)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except ValueError as e:
        raise ValueError(f"not JSON ({e.msg} at character {e.pos}): "
                         f"{shorten(' '.join(content.split()), 80)!r}") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected one JSON object, found {type(data).__name__}")
    try:
        answer = Answer.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "the answer"
        raise ValueError(f"{where}: {first['msg']}") from None
    if answer.verdict not in verdicts:
        raise ValueError(f"verdict {answer.verdict!r} is not allowed here; use one of: "
                         f"{', '.join(verdicts)}")
    return answer


def _content(data: dict) -> str:
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return ""
    return content if isinstance(content, str) else ""


def _error_text(r) -> str:
    try:
        data = r.json()
        error = data.get("error", data) if isinstance(data, dict) else data
        message = error.get("message", error) if isinstance(error, dict) else error
        text = str(message)
    except ValueError:
        text = r.text
    return shorten(" ".join(text.split()), 200) or r.reason_phrase


def _hint(status: int, settings: Settings) -> str:
    if status == 0:
        return (f"is the server running at {settings.base_url}? (Ollama: `ollama serve`); "
                f"{ENV['timeout']} sets the time limit")
    if status in (401, 403):
        return f"check {ENV['api_key']}"
    if status == 404:
        return (f"check {ENV['base_url']} (it ends in /v1) and that the model is there "
                f"(Ollama: `ollama pull {settings.model}`)")
    if status == 429:
        return "the server is rate-limiting: lower CALLCOACH_LLM_CONCURRENCY or try later"
    return "the server failed; try again later"


def _add(total: int | None, n) -> int | None:
    return (total or 0) + n if isinstance(n, int) else total


def answer_pending(scores: list, criteria, backend: Backend, *,
                   known: dict | None = None) -> list:
    """Each CallScore of `scores` with its pending results answered: from `known` (Ask.key ->
    answer; filled as it goes, so a caller that re-scores the same calls asks nothing twice),
    else by `backend`, `concurrency` at a time. An answer that could not be had is that
    result's error. For `rubric lint --judge`, `calibrate` and notebooks; `callcoach score`
    also caches in the store, plans and limits its requests (scoring/batch.py)."""
    from concurrent.futures import ThreadPoolExecutor

    from callcoach.scoring.engine import finish, pending

    known = {} if known is None else known
    asks = {a.key: a for s in scores for r in pending(s) for a in r.asks if a.key not in known}

    def one(ask):
        try:
            return backend.ask(list(ask.messages), ask.schema, ask.verdicts).answer
        except JudgeError as e:
            return e

    with ThreadPoolExecutor(backend.settings.concurrency) as pool:
        for key, answer in zip(asks, pool.map(one, asks.values())):
            known[key] = answer
    return [finish(s, criteria, known) if pending(s) else s for s in scores]


def example_transcript(text: str):
    """A criterion example as a call: lines 'Rep: …' and 'Prospect: …' (any other line goes
    on the turn before); text without such labels is one turn by the rep."""
    from datetime import datetime

    from callcoach.transcript import CallMeta, Transcript, Utterance

    turns: list[list[str]] = []
    for raw in text.splitlines():
        m = re.match(r"\s*(rep|prospect)\s*:\s*(.*)$", raw, re.I)
        if m:
            turns.append([m.group(1).lower(), m.group(2)])
        elif turns:
            turns[-1][1] += " " + raw.strip()
        elif raw.strip():
            turns.append(["rep", raw.strip()])
    utts = [Utterance(i, role.capitalize(), said.strip(), role)
            for i, (role, said) in enumerate(turns)]
    return Transcript(CallMeta("example", "rep", datetime(2000, 1, 1)), utts)
