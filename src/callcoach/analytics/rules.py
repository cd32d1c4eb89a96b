"""The coaching rules' numbers and the analysis window, without pandas: the CLI shows these
defaults in --help, and `callcoach --help` must not pay for importing pandas. The defaults
themselves are set in `callcoach.defaults`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from callcoach import defaults, zones
# select / queue / evidence (analytics.selection documents the rules)
from callcoach.defaults import (CONFIRM_CALLS, DAYS, EVIDENCE_CALLS,  # noqa: F401
                                EVIDENCE_CONTEXT, FRESH_HOURS, MIN_CALLS, REVIEW_RATE)

# agenda: the session's shape (analytics.agenda builds each)
FRAMES: tuple[str, ...] = ("five-part", "grow")


@dataclass(frozen=True, slots=True)
class Settings:
    """The progress rules' numbers (analytics.progress documents them)."""

    baseline_days: int = defaults.BASELINE_DAYS
    window_days: int = defaults.WINDOW_DAYS
    moved: float = defaults.MOVED    # points: the smallest change that counts as movement
    min_calls: int = defaults.PROGRESS_MIN_CALLS   # scored calls a window needs to be read
    intervention_days: int = defaults.INTERVENTION_DAYS

    def to_dict(self) -> dict:
        return {"baseline_days": self.baseline_days, "window_days": self.window_days,
                "moved": self.moved, "min_calls": self.min_calls,
                "intervention_days": self.intervention_days}


def window(as_of: datetime, days: int) -> tuple[datetime, datetime]:
    """The (start, end] window of `days` days ending at `as_of`: a call is in it when
    start < started_at <= end. Days are calendar days in `as_of`'s zone (an aware datetime's
    arithmetic is wall-clock), so a window across a daylight-saving change still starts at
    the same time of day; a naive `as_of` is UTC."""
    return as_of - timedelta(days=days), as_of


def _day_end(t: datetime) -> bool:
    return t.time() == time(23, 59, 59)


def window_label(as_of: datetime, days: int) -> str:
    """The window as people read it, from the same bounds `window` gives, so the label and the
    calls counted agree: 'last 14 days (2026-10-31 to 2026-11-13, America/New_York)' — the
    first and the last day it includes — or, when it does not end at the end of a day, its
    exact bounds: 'last 2 days (after 2026-11-11 09:30 up to 2026-11-13 09:30, UTC)'."""
    start, end = window(as_of, days)
    if _day_end(start) and _day_end(end):
        span = f"{(start + timedelta(days=1)).date().isoformat()} to {end.date().isoformat()}"
    else:
        span = f"after {_clock(start)} up to {_clock(end)}"
    return f"last {days} day{'s' if days != 1 else ''} ({span}, {zones.name_of(end.tzinfo)})"


def _clock(t: datetime) -> str:
    return f"{t:%Y-%m-%d %H:%M:%S}" if t.second else f"{t:%Y-%m-%d %H:%M}"
