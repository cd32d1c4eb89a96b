"""A rubric summarised criterion by criterion, for `rubric show` (rendering lives in the CLI)."""
from __future__ import annotations

import json
from dataclasses import dataclass

from callcoach.matching import MATCHERS
from callcoach.rubric.model import Rubric
from callcoach.scoring.checks import CHECKS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True, slots=True)
class CriterionSummary:
    id: str
    name: str
    section: str | None
    weight: float
    share: float            # weight as a share of the rubric's total, 0-1
    critical: bool
    check: str
    method: str
    speaker: str
    threshold: float | None  # effective; None for verbatim
    looks_for: str


def describe(rubric: Rubric) -> list[CriterionSummary]:
    total = sum(max(c.weight, 0) for c in rubric.criteria)
    out = []
    for c in rubric.criteria:
        check = c.check
        matcher = MATCHERS[check.method]
        # an exact method (no default threshold) has none to show
        threshold = (None if matcher.default_threshold is None
                     else matcher.threshold_for(check.threshold))
        out.append(CriterionSummary(
            c.id, c.title, c.section, c.weight, max(c.weight, 0) / total if total else 0.0,
            c.critical, check.type, check.method, check.speaker, threshold, looks_for(check)))
    return out


def looks_for(check) -> str:
    """One line a manager can read: what the check listens for."""
    return CHECKS[check.type].looks_for(check)


def json_schema() -> dict:
    """The rubric language as JSON Schema, for yaml-language-server and other editors."""
    schema = Rubric.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "callcoach rubric"}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"
