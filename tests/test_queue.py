"""queue(): urgency order (fresh first, then failure rate, then mean) and the waiting list."""
from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

from callcoach.analytics.queue import queue
from callcoach.cli.app import app
from coaching_helpers import RUBRIC, at, make_store

AS_OF = at(27, 18)
OK = {"discovery": 1.0, "next_step": 1.0, "pricing_language": 1.0}


def rep_calls(rep: str, scores: list[float], *, criterion: str = "discovery", last=None):
    """One call a day from Nov 15; `last` (a datetime) moves the final call."""
    out = []
    for i, score in enumerate(scores):
        when = last if (last is not None and i == len(scores) - 1) else at(15 + i)
        out.append((f"{rep.lower()}-{i}", rep, when, "demo", {**OK, criterion: score}))
    return out


def team(new_db):
    calls = (
        # Ann: 50% failing, nothing fresh.
        rep_calls("Ann", [0.4, 0.4, 1.0, 1.0])
        # Ben: 25% failing, but the failure is exactly 48 h old: fresh, so first.
        + rep_calls("Ben", [1.0, 1.0, 1.0, 0.5], criterion="next_step",
                    last=AS_OF - timedelta(hours=48))
        # Cat: 50% failing like Ann, lower mean: before Ann.
        + rep_calls("Cat", [0.0, 0.0, 1.0, 1.0])
        # Dan passes everything; Eve has two calls; Fay has only an old call.
        + rep_calls("Dan", [1.0, 1.0, 1.0])
        + rep_calls("Eve", [0.0, 0.0])
        + [("fay-0", "Fay", at(1), "demo", {**OK, "discovery": 0.0})]
    )
    return make_store(new_db, RUBRIC, calls)


def test_order(new_db, tmp_path):
    q = queue(team(new_db), as_of=AS_OF)
    assert [(s.rep, s.criterion_id, s.fresh) for s in q.to_coach] == [
        ("Ben", "next_step", True), ("Cat", "discovery", False), ("Ann", "discovery", False)]
    assert [(s.rep, s.status) for s in q.waiting] == [
        ("Dan", "no_failures"), ("Eve", "too_few_calls"), ("Fay", "no_calls")]


def test_fresh_hours_is_a_parameter(new_db, tmp_path):
    q = queue(team(new_db), as_of=AS_OF, fresh_hours=47)
    assert [s.rep for s in q.to_coach] == ["Cat", "Ann", "Ben"]


def test_cli_markdown(new_db, tmp_path):
    store = team(new_db)
    result = CliRunner().invoke(app, ["queue", "--db", store.path, "--as-of", "2026-11-27T18:00",
                                      "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.output == """\
## Coaching queue · rubric test-discovery · last 14 days (after 2026-11-13 18:00 up to 2026-11-27 18:00, UTC) · fresh = a failed call within 48 h

| # | rep | criterion | mean | failed | pattern | fresh | calls to review |
| ---: | --- | --- | ---: | ---: | --- | --- | --- |
| 1 | Ben | Next step | 88% | 1/4 (25%) | first occurrence | **yes** (48 h ago) | ben-3 |
| 2 | Cat | Discovery questions | **50%** | 2/4 (50%) | 2 of 3 | no (11 d ago) | cat-0, cat-1 |
| 3 | Ann | Discovery questions | 70% | 2/4 (50%) | 2 of 3 | no (11 d ago) | ann-0, ann-1 |

Nothing to pick yet:

- Dan: passed every criterion on all 3 calls in the last 14 days — nothing to coach
- Eve: only 2 calls in the last 14 days — too few to pick a pattern; need 3, or a failed call within 48 h
- Fay: no calls in the last 14 days
"""


def test_cli_json_and_table(new_db, tmp_path):
    store = team(new_db)
    args = ["queue", "--db", store.path, "--as-of", "2026-11-27T18:00"]
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).output)
    assert [e["rep"] for e in data["to_coach"]] == ["Ben", "Cat", "Ann"]
    assert data["to_coach"][0]["hours_since_failure"] == 48.0
    assert data["waiting"][1]["status"] == "too_few_calls"
    table = CliRunner().invoke(app, args).output.splitlines()
    assert table[3].split() == ["1", "Ben", "Next", "step", "88%", "1/4", "(25%)", "first",
                                "occurrence", "yes", "·", "48", "h", "ago", "1"]
