"""Human judgements to calibrate against: `call_id, criterion, label` (pass | fail | na), with
optional `evidence` (`mm:ss Speaker: "quote"`, or just a quote; several joined by ` | `) and
`reviewer`. CSV (any column order, extra columns ignored) or JSONL (one object a line).

    labels = read_labels(Path("labels.csv"))
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from callcoach.errors import CallcoachError, UsageError
from callcoach.sanitize import csv_value, strip_controls

VERDICTS = ("pass", "fail", "na")
REQUIRED = ("call_id", "criterion", "label")
_ALIASES = {"n/a": "na", "not applicable": "na", "passed": "pass", "failed": "fail",
            "true": "pass", "false": "fail"}
# `02:14 Dana Ruiz: "quote"` (time, in brackets or not, with or without tenths, and speaker
# optional; quotes optional)
_EVIDENCE = re.compile(r'^\s*(?:\[?(?P<time>\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?)\]?\s+)?'
                       r'(?:(?P<speaker>[^:"]{1,80}?):\s+)?"?(?P<quote>.*?)"?\s*$', re.S)


@dataclass(frozen=True, slots=True)
class Evidence:
    quote: str
    time: float | None = None       # seconds
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    call_id: str
    criterion: str
    label: str                      # pass | fail | na
    evidence: tuple[Evidence, ...] = ()
    reviewer: str | None = None
    line: int = 0                   # where it is in its file


class LabelsError(CallcoachError):
    """A labels file that cannot be read; `problems` lists every bad row."""

    def __init__(self, message: str, *, problems: list[str] | None = None, **kw):
        super().__init__(message, **kw)
        self.problems = problems or []

    def __str__(self) -> str:
        return super().__str__() + "".join(f"\n  {p}" for p in self.problems)


def read_labels(path: Path) -> list[Label]:
    """Every label of a CSV or JSONL file, in file order. All bad rows are reported together
    (a LabelsError naming each file:line); a (call, criterion) labelled twice is an error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}", hint="give the labels file (CSV or JSONL)") \
            from None
    except (OSError, UnicodeDecodeError) as e:
        raise LabelsError(f"cannot read the labels: {e}", path=path) from None
    labels, problems = [], []
    rows = _jsonl(text, path, problems) if _is_jsonl(path, text) else _csv(text, path)
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        try:
            label = _label(row, line)
        except ValueError as e:
            problems.append(f"{path}:{line}: {e}")
            continue
        key = (label.call_id, label.criterion)
        if key in seen:
            problems.append(f"{path}:{line}: {label.call_id} · {label.criterion} is already "
                            f"labelled at line {seen[key]}")
            continue
        seen[key] = line
        labels.append(label)
    if problems:
        raise LabelsError(f"{len(problems)} bad label row{'s' * (len(problems) != 1)}",
                          path=path, problems=problems,
                          hint="each row needs call_id, criterion and label (pass, fail or na)")
    if not labels:
        raise LabelsError("no labels in the file", path=path,
                          hint="columns: call_id, criterion, label[, evidence, reviewer]")
    return labels


def parse_evidence(text: str) -> tuple[Evidence, ...]:
    """`02:14 Dana Ruiz: "quote" | 05:10 Dana Ruiz: "another"` -> the quotes with their time
    (seconds) and speaker when given."""
    out = []
    for part in (text or "").split(" | "):
        part = part.strip()
        if not part:
            continue
        m = _EVIDENCE.match(part)
        quote = (m.group("quote") if m else part).strip()
        if not quote:
            continue
        when = m.group("time") if m else None
        seconds = None
        if when:
            seconds = 0.0
            for piece in when.split(":"):
                seconds = seconds * 60 + float(piece)
        speaker = m.group("speaker").strip() if m and m.group("speaker") else None
        out.append(Evidence(quote, seconds, speaker))
    return tuple(out)


def _label(row: dict, line: int) -> Label:
    # third-party text: control characters would act on the terminal that shows a quote
    # (a labels sheet saved from callcoach's own CSV keeps its cells as written: csv_value)
    row = {k: csv_value(strip_controls(v)) if isinstance(v, str) else v for k, v in row.items()}
    missing = [k for k in REQUIRED if not str(row.get(k) or "").strip()]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    verdict = str(row["label"]).strip().lower()
    verdict = _ALIASES.get(verdict, verdict)
    if verdict not in VERDICTS:
        raise ValueError(f"label {row['label']!r} is not pass, fail or na")
    reviewer = str(row.get("reviewer") or "").strip() or None
    return Label(str(row["call_id"]).strip(), str(row["criterion"]).strip(), verdict,
                 parse_evidence(str(row.get("evidence") or "")), reviewer, line)


def _is_jsonl(path: Path, text: str) -> bool:
    return path.suffix.lower() in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{")


def _jsonl(text: str, path: Path, problems: list[str]) -> list[tuple[int, dict]]:
    """The rows that are JSON objects; each line that is not goes to `problems`."""
    rows = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(f"{path}:{n}: not JSON ({e.msg}); one JSON object per line")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path}:{n}: not a JSON object; one JSON object per line")
            continue
        rows.append((n, {str(k).lower(): v for k, v in row.items()}))
    return rows


def _csv(text: str, path: Path) -> list[tuple[int, dict]]:
    lines = text.splitlines(keepends=True)
    head = lines[0] if lines else ""
    # the delimiter is the header's (as the transcript CSV reader decides it); quoting is
    # the spreadsheet kind
    delimiter = max(",;\t", key=head.count)
    reader = csv.DictReader(lines, delimiter=delimiter)
    header = [(h or "").strip().lower().replace(" ", "_") for h in reader.fieldnames or []]
    absent = [k for k in REQUIRED if k not in header]
    if absent:
        raise LabelsError(f"the header has no {', '.join(absent)} column", path=path, line=1,
                          hint="columns: call_id, criterion, label[, evidence, reviewer]")
    reader.fieldnames = header
    return [(reader.line_num, row) for row in reader]

