"""evidence(): the dispute pack; excerpts around moments; the CLI's text output."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from callcoach.analytics.evidence import evidence
from callcoach.analytics.excerpts import excerpt, excerpts
from callcoach.cli.app import app
from callcoach.errors import NotFoundError
from callcoach.scoring.result import Moment
from callcoach.transcript import Utterance
from coaching_helpers import RUBRIC, at, make_store

AS_OF = at(27, 18)
OK = {"discovery": 1.0, "next_step": 1.0, "pricing_language": 1.0}


def store_with(new_db, failing: int, passing: int = 2):
    calls = [(f"f{i}", "Dana", at(15 + i), "demo", {**OK, "discovery": 0.2 + 0.1 * i},
              {"account": f"Acct {i}"}) for i in range(failing)]
    calls += [(f"p{i}", "Dana", at(22 + i), "demo", OK) for i in range(passing)]
    return make_store(new_db, RUBRIC, calls)


TURNS = [Utterance(i, "A", f"t{i}") for i in range(10)]


@pytest.mark.parametrize("center, context, expected", [
    (0, 2, [0, 1, 2]), (5, 2, [3, 4, 5, 6, 7]), (9, 1, [8, 9]), (4, 0, [4]),
], ids=["start", "middle", "end", "no-context"])
def test_excerpt(center, context, expected):
    assert [u.index for u in excerpt(TURNS, center, context)] == expected


def test_excerpts_merge_touching_windows():
    assert [[u.index for u in e] for e in excerpts(TURNS, [7, 2, 4], 1)] == [
        [1, 2, 3, 4, 5, 6, 7, 8]]
    assert [[u.index for u in e] for e in excerpts(TURNS, [8, 2], 1)] == [[1, 2, 3], [7, 8, 9]]
    assert excerpt([], 3) == [] and excerpts(TURNS, []) == []


def test_three_calls_lowest_first(new_db, tmp_path):
    pack = evidence(store_with(new_db, 4), "Dana", "discovery", as_of=AS_OF)
    assert [i.call.call_id for i in pack.items] == ["f0", "f1", "f2"]
    assert pack.message == ("Discovery questions: the same failure in 3 separate calls; "
                            "failed on 4 of 6 calls (67%) in the last 14 days")
    first = pack.items[0]
    assert first.call.reason == "discovery failed at 0.20"
    assert [u.index for u in first.excerpts[0].utterances] == [2, 3, 4, 5, 6]
    assert first.excerpts[0].moments == [4]


@pytest.mark.parametrize("failing, message", [
    (2, "Discovery questions: only 2 failed calls in the last 14 days (asked for 3); "
        "showing all 2"),
    (1, "Discovery questions: only 1 failed call in the last 14 days (asked for 3); showing it"),
    (0, "Discovery questions: no failed calls in the last 14 days — nothing to show"),
], ids=["two", "one", "none"])
def test_fewer_failures_than_asked(new_db, tmp_path, failing, message):
    pack = evidence(store_with(new_db, failing), "Dana", "Discovery questions", as_of=AS_OF)
    assert (len(pack.items), pack.message) == (failing, message)


def test_moments_without_a_transcript_and_multiple_moments(new_db, tmp_path):
    moments = [Moment(1, 30.0, "Dana", "rep", "pricing now", kind="violation"),
               Moment(8, 240.0, "Dana", "rep", "pricing again", kind="violation")]
    calls = [("c0", "Dana", at(20), "demo", {**OK, "discovery": 0.0},
              {"moments": {"discovery": moments}})] + \
        [(f"p{i}", "Dana", at(21 + i), "demo", OK) for i in range(2)]
    pack = evidence(make_store(new_db, RUBRIC, calls), "Dana", "discovery", as_of=AS_OF,
                    context=1)
    assert [[u.index for u in e.utterances] for e in pack.items[0].excerpts] == [[0, 1, 2],
                                                                                 [7, 8, 9]]


def test_unknown_criterion_and_rep(new_db, tmp_path):
    store = store_with(new_db, 1)
    with pytest.raises(NotFoundError) as e:
        evidence(store, "Dana", "discovry", as_of=AS_OF)
    assert str(e.value) == ("no criterion 'discovry' in rubric 'test-discovery' "
                            "(did you mean 'discovery'?)")
    with pytest.raises(NotFoundError, match="did you mean 'Dana'"):
        evidence(store, "Dnaa", "discovery", as_of=AS_OF)
    assert evidence(store, "dan", "disc", as_of=AS_OF).rep == "Dana"   # unique prefixes


def test_cli_text(new_db, tmp_path):
    store = store_with(new_db, 2)
    result = CliRunner().invoke(app, ["evidence", "--rep", "Dana", "--criterion", "discovery",
                                      "--db", store.path, "--as-of", "2026-11-27T18:00",
                                      "--format", "text", "--context", "1"])
    assert result.exit_code == 0, result.output
    assert result.output == """\
Evidence: Dana · Discovery questions · last 14 days (after 2026-11-13 18:00 up to 2026-11-27 18:00, UTC)
Standard: Ask all three discovery questions before pricing.
Score: 62% over 4 calls (pass mark 70%)
Discovery questions: only 2 failed calls in the last 14 days (asked for 3); showing all 2.

1. f0 · 2026-11-15 10:00 · demo · Acct 0 — scored 20%
   discovery failed at 0.20

     01:30  Pat (prospect): We mostly use spreadsheets and a lot of email.
 ▶   02:00  Dana (rep): Our pricing starts at forty dollars a seat.
     02:30  Pat (prospect): Hm, that sounds too expensive for us right now.

2. f1 · 2026-11-16 10:00 · demo · Acct 1 — scored 30%
   discovery failed at 0.30

     01:30  Pat (prospect): We mostly use spreadsheets and a lot of email.
 ▶   02:00  Dana (rep): Our pricing starts at forty dollars a seat.
     02:30  Pat (prospect): Hm, that sounds too expensive for us right now.
"""


def test_cli_json_and_markdown(new_db, tmp_path):
    store = store_with(new_db, 3)
    args = ["evidence", "--rep", "Dana", "-c", "discovery", "--db", store.path,
            "--as-of", "2026-11-27T18:00"]
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).output)
    assert data["criterion"]["id"] == "discovery" and data["asked"] == 3
    assert [c["call_id"] for c in data["calls"]] == ["f0", "f1", "f2"]
    assert data["calls"][0]["excerpts"][0]["moments"] == [4]
    markdown = CliRunner().invoke(app, args).output
    assert "### 1. f0 · 2026-11-15 10:00 · demo · Acct 0 — 20%" in markdown
    assert "> ▶ `02:00` **Dana** (rep): **Our pricing starts at forty dollars a seat.**" in markdown
    result = CliRunner().invoke(app, [*args[:4], "nope", *args[5:]])
    assert result.exit_code == 1


@pytest.mark.parametrize("criterion, note", [
    ("next_step", "the call's last 5 turns (the check looks at the last 20%)"),
], ids=["within-last"])
def test_no_moment_shows_the_part_of_the_call_checked(new_db, tmp_path, criterion, note):
    calls = [("c0", "Dana", at(20), "demo", {**OK, criterion: 0.0},
              {"moments": {criterion: []}})] + \
        [(f"p{i}", "Dana", at(21 + i), "demo", OK) for i in range(2)]
    pack = evidence(make_store(new_db, RUBRIC, calls), "Dana", criterion, as_of=AS_OF)
    (only,) = pack.items[0].excerpts
    assert ([u.index for u in only.utterances], only.moments, only.note) == \
        ([5, 6, 7, 8, 9], [], note)
