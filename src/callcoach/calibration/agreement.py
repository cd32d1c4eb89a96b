"""How far callcoach agrees with the reviewers: per criterion and overall, the share of
verdicts that agree, Cohen's kappa (agreement beyond what the two sides' label rates would
give by chance), the confusion matrix, and how well callcoach finds the fails.

    >>> s = Stats.of([("pass", "pass"), ("fail", "fail"), ("fail", "pass"), ("pass", "pass")])
    >>> s.n, s.agreement, round(s.kappa, 3)
    (4, 0.75, 0.5)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from callcoach.calibration.labels import VERDICTS


@dataclass(slots=True)
class Stats:
    n: int = 0
    agreed: int = 0
    # confusion[human][callcoach]: counts of each pair of verdicts
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {h: {c: 0 for c in VERDICTS} for h in VERDICTS})

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> "Stats":
        """From (human, callcoach) verdict pairs."""
        s = cls()
        for human, tool in pairs:
            s.add(human, tool)
        return s

    def add(self, human: str, tool: str) -> None:
        self.n += 1
        self.agreed += human == tool
        self.confusion[human][tool] += 1

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.n if self.n else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa: (observed - expected) / (1 - expected), where expected is the
        agreement two raters with these label rates would reach by chance. None when it is
        undefined: no labels, or both sides gave one and the same verdict to everything."""
        if not self.n:
            return None
        expected = sum(sum(self.confusion[v].values()) * sum(row[v] for row in self.confusion.values())
                       for v in VERDICTS) / self.n ** 2
        if expected >= 1:
            return None
        return (self.agreed / self.n - expected) / (1 - expected)

    @property
    def fail_precision(self) -> float | None:
        """Of the calls callcoach failed, the share the reviewer failed too."""
        flagged = sum(row["fail"] for row in self.confusion.values())
        return self.confusion["fail"]["fail"] / flagged if flagged else None

    @property
    def fail_recall(self) -> float | None:
        """Of the calls the reviewer failed, the share callcoach failed too."""
        failed = sum(self.confusion["fail"].values())
        return self.confusion["fail"]["fail"] / failed if failed else None

    def to_dict(self) -> dict:
        return {"n": self.n, "agreed": self.agreed, "agreement": _r(self.agreement),
                "kappa": _r(self.kappa), "fail_precision": _r(self.fail_precision),
                "fail_recall": _r(self.fail_recall),
                "confusion": {h: dict(row) for h, row in self.confusion.items()}}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
