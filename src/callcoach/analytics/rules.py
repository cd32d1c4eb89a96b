"""The coaching rules' default numbers and the analysis window, without pandas: the CLI shows
these defaults in --help, and `callcoach --help` must not pay for importing pandas."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# select / queue / evidence (analytics.selection documents the rules)
DAYS = 14
MIN_CALLS = 3
CONFIRM_CALLS = 3
REVIEW_RATE = 0.30
FRESH_HOURS = 48

# agenda: the session's shape (analytics.agenda builds each)
FRAMES: tuple[str, ...] = ("five-part", "grow")

# evidence
EVIDENCE_CALLS = 3
EVIDENCE_CONTEXT = 2


@dataclass(frozen=True, slots=True)
class Settings:
    """The progress rules' numbers (analytics.progress documents them)."""

    baseline_days: int = 14
    window_days: int = 14
    moved: float = 5.0           # points: the smallest change that counts as movement
    min_calls: int = 2           # scored calls a window needs before it is read
    intervention_days: int = 30

    def to_dict(self) -> dict:
        return {"baseline_days": self.baseline_days, "window_days": self.window_days,
                "moved": self.moved, "min_calls": self.min_calls,
                "intervention_days": self.intervention_days}


def window(as_of: datetime, days: int) -> tuple[datetime, datetime]:
    """The (start, end] window of `days` days ending at `as_of`: a call is in it when
    start < started_at <= end."""
    return as_of - timedelta(days=days), as_of
