"""Small builders for scoring tests; other test modules may import them
(`from scoring_helpers import make_transcript, make_rubric`)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from callcoach.rubric.model import Rubric
from callcoach.transcript import CallMeta, Transcript, Utterance

NAMES = {"rep": "Dana", "prospect": "Sam", "other": "Alex"}


def make_transcript(rows: Iterable[Sequence[Any]], *, call_id: str = "call-1", rep: str = "dana",
                    started_at: datetime = datetime(2026, 11, 2, 15, 0),
                    call_type: str | None = "discovery", duration: float | None = None,
                    source: str | None = None, content_hash: str | None = None) -> Transcript:
    """Rows are (speaker, role, start, text) or (speaker, role, start, end, text); `start`
    (and `end`) may be None for a transcript without timestamps."""
    utts = []
    for i, row in enumerate(rows):
        if len(row) == 4:
            speaker, role, start, text = row
            end = None
        else:
            speaker, role, start, end, text = row
        utts.append(Utterance(i, speaker, text, role, start, end))
    return Transcript(CallMeta(call_id, rep, started_at, call_type, duration=duration), utts,
                      source=source, content_hash=content_hash)


def make_rows(rows: Iterable[Sequence[Any]]) -> list[tuple]:
    """Shorter rows for tables: (role, start, text) -> (Dana|Sam|Alex, role, start, text)."""
    return [(NAMES[role], role, start, text) for role, start, text in rows]


def make_rubric(spec: dict | list[dict], **top: Any) -> Rubric:
    """A Rubric from a full dict, from a list of criteria, or from one criterion dict.

    A criterion dict without `id` gets "c"; `top` sets rubric-level keys (pass_mark, ...).
    """
    if isinstance(spec, dict) and "criteria" in spec:
        return Rubric.model_validate({"rubric": "test", **spec, **top})
    criteria = [spec] if isinstance(spec, dict) else list(spec)
    criteria = [{"id": "c", **c} if "id" not in c else c for c in criteria]
    return Rubric.model_validate({"rubric": "test", "criteria": criteria, **top})


def check_rubric(check: dict, **criterion: Any) -> Rubric:
    """A one-criterion rubric (id "c") around a check dict."""
    return make_rubric({"id": "c", "check": check, **criterion})
