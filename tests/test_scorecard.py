"""scorecard(): team and rep views, N/A handling, trends; the CLI's formats."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from callcoach.analytics.scorecard import Trend, scorecard
from callcoach.cli.app import app
from callcoach.errors import NotFoundError
from callcoach.fmt import pct
from coaching_helpers import RUBRIC, at, make_store

AS_OF = at(27, 18)

CALLS = [
    # previous window (Nov 1 18:00 - Nov 13 18:00]
    ("d0", "Dana", at(10), "demo", {"discovery": 0.2, "next_step": 1.0, "pricing_language": 1.0}),
    ("e0", "Eli", at(11), "demo", {"discovery": 1.0, "next_step": 0.0, "pricing_language": 1.0}),
    # this window
    ("d1", "Dana", at(20), "discovery", {"discovery": 0.4, "next_step": 1.0,
                                         "pricing_language": 1.0, "objection_handling": 0.5}),
    ("d2", "Dana", at(22), "demo", {"discovery": 0.8, "next_step": 0.5, "pricing_language": 1.0}),
    ("e1", "Eli", at(21), "demo", {"discovery": 1.0, "next_step": 0.0, "pricing_language": 0.0}),
]


@pytest.fixture
def store(new_db, tmp_path):
    return make_store(new_db, RUBRIC, CALLS)


def test_team_view(store):
    sc = scorecard(store, as_of=AS_OF)
    assert [r.label for r in sc.rows] == ["Dana", "Eli"]
    dana, eli = sc.rows
    assert dana.calls == 2 and eli.calls == 1
    assert dana.cells["discovery"].mean == pytest.approx(0.6)
    assert (dana.cells["discovery"].scored, dana.cells["discovery"].failures) == (2, 1)
    # N/A is excluded: objection handling applied on one of Dana's calls.
    assert (dana.cells["objection_handling"].mean, dana.cells["objection_handling"].scored) == \
        (0.5, 1)
    assert eli.cells["objection_handling"].mean is None
    team = sc.team
    assert team.calls == 3
    assert team.cells["next_step"].mean == pytest.approx(0.5)
    assert (team.cells["next_step"].failures, team.cells["next_step"].failure_rate) == (2, 2 / 3)


def test_rep_view_with_trends(store):
    sc = scorecard(store, as_of=AS_OF, rep="dana")
    assert sc.rep == "Dana"
    assert [c.call_id for c in sc.calls] == ["d1", "d2"]
    assert sc.calls[1].scores["objection_handling"] is None
    assert sc.trends["discovery"].label() == "↑ 40 pts"
    assert sc.trends["next_step"].label() == "↓ 25 pts"
    assert sc.trends["pricing_language"].label() == "→ 0 pts"
    assert sc.trends["objection_handling"].label() == "new"


@pytest.mark.parametrize("current, previous, label", [
    (0.72, 0.58, "↑ 14 pts"), (0.5, 0.504, "→ 0 pts"), (0.4, 0.6, "↓ 20 pts"),
    (None, 0.5, ""), (0.5, None, "new"),
], ids=["up", "flat-under-half-a-point", "down", "no-current", "no-previous"])
def test_trend_label(current, previous, label):
    assert Trend(current, previous).label() == label


def test_unknown_rep(store):
    with pytest.raises(NotFoundError, match="did you mean 'Eli'"):
        scorecard(store, as_of=AS_OF, rep="Ely")


def invoke(store, *args):
    return CliRunner().invoke(app, [*args, "--db", store.path, "--as-of", "2026-11-27T18:00"])


def test_cli_markdown(store):
    result = invoke(store, "scorecard", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output == """\
## Scorecard · rubric test-discovery · last 14 days (after 2026-11-13 18:00 up to 2026-11-27 18:00, UTC) · pass mark 70%

| rep | calls | overall | Discovery questions | Objection handling | Next step | Pricing language |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| Dana | 2 | 69.2 | **60%** (1/2 fail) | **50%** (1/1 fail) | 75% (1/2 fail) | 100% (0/2 fail) |
| Eli | 1 | 50.0 | 100% (0/1 fail) | – | **0%** (1/1 fail) | **0%** (1/1 fail) |
| **(team)** | 3 | 62.8 | 73% (1/3 fail) | **50%** (1/1 fail) | **50%** (2/3 fail) | **67%** (1/3 fail) |

Cells: mean criterion score (failed/scored calls); **bold**: below the pass mark; overall is context only.
"""


def test_cli_rep_csv(store):
    result = invoke(store, "scorecard", "--rep", "Dana", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == """\
criterion_id,criterion,mean,scored,failures,failure_rate,previous_mean,trend_points,d1,d2
discovery,Discovery questions,0.6,2,1,0.5,0.2,40,0.4,0.8
objection_handling,Objection handling,0.5,1,1,1,,,0.5,
next_step,Next step,0.75,2,1,0.5,1,-25,1,0.5
pricing_language,Pricing language,1,2,0,0,1,0,1,1
"""


def test_cli_table_and_json(store):
    result = invoke(store, "scorecard", "--rep", "Dana")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Scorecard · Dana · rubric test-discovery · last 14 days (after 2026-11-13 18:00 up to 2026-11-27 18:00, UTC) · pass mark 70%
                                                  11-20   11-22
criterion              mean   failed      trend      d1      d2
───────────────────────────────────────────────────────────────
Discovery questions   60% ✗      1/2   ↑ 40 pts   40% ✗     80%
Objection handling    50% ✗      1/1        new   50% ✗       –
Next step               75%      1/2   ↓ 25 pts    100%   50% ✗
Pricing language       100%      0/2    → 0 pts    100%    100%
cells: criterion score per call · trend: against the 14 days before · ✗: below the pass mark \
· –: not applicable
"""
    data = json.loads(invoke(store, "scorecard", "--format", "json").output)
    assert data["team"]["criteria"]["next_step"] == {"mean": 0.5, "scored": 3, "failures": 2,
                                                      "failure_rate": 2 / 3}
    assert [r["rep"] for r in data["rows"]] == ["Dana", "Eli"]


def test_cli_errors(store, tmp_path):
    result = invoke(store, "scorecard", "--format", "xml")
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["scorecard", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1


def test_a_trend_is_the_difference_of_the_percentages_shown():
    trend = Trend(current=0.335, previous=0.214)
    # shown: 34% now, 21% before: the trend says 13 points, not round(12.1) = 12
    assert (pct(trend.current), pct(trend.previous), trend.label()) == ("34%", "21%",
                                                                        "↑ 13 pts")
