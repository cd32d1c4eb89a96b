"""Tiny formatting helpers shared by reasons, renderers and agendas (no rich, no pandas)."""
from __future__ import annotations

from datetime import datetime


def clock(seconds: float | None) -> str:
    """Seconds as m:ss, or h:mm:ss past an hour; '' when unknown.

    >>> clock(462), clock(3725.4), clock(None)
    ('07:42', '1:02:05', '')
    """
    if seconds is None:
        return ""
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in '…' when cut.

    >>> shorten("we have a budget", 10), shorten("short", 10)
    ('we have a…', 'short')
    """
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """'1 turn', '2 turns', '0 turns'.

    >>> plural(1, "speaker"), plural(3, "speaker"), plural(2, "reply", "replies")
    ('1 speaker', '3 speakers', '2 replies')
    """
    return f"{n} {noun if n == 1 else plural_form or noun + 's'}"


def where(seconds: float | None, utterance: int) -> str:
    """Where a moment is, for humans: its timestamp, or its turn when the file has none."""
    return clock(seconds) if seconds is not None else f"turn {utterance + 1}"


def whole_percent(fraction: float) -> int:
    """The whole percentage `pct` shows for a 0..1 score: differences of these are the point
    changes shown beside them, so the numbers on a screen add up.

    >>> whole_percent(0.335), whole_percent(0.214)
    (34, 21)
    """
    return int(f"{fraction * 100:.0f}")


def pct(fraction: float | None, digits: int = 0) -> str:
    """0.583 -> '58%'; None -> 'n/a'."""
    if fraction is None:
        return "n/a"
    return f"{fraction * 100:.{digits}f}%"


def rubric_label(rubric_id: str, note: str | None = None) -> str:
    """'rubric five-step-discovery', with why it was picked when the store holds several."""
    return f"rubric {rubric_id}" + (f" ({note})" if note else "")


def when(t: datetime) -> str:
    """A call's start as people read it in tables and agendas: '2026-11-12 18:30', in the
    zone `t` is in (reports name the zone in their header)."""
    return f"{t:%Y-%m-%d %H:%M}"
