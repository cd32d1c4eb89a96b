"""select(): the lowest criterion, the pattern rules, the review count, the chosen calls."""
from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from callcoach.analytics.selection import select
from callcoach.errors import NotFoundError
from coaching_helpers import RUBRIC, at, make_store

AS_OF = at(27, 18)
PASS = {"discovery": 1.0, "next_step": 1.0, "pricing_language": 1.0}


def calls_for(rep: str, column: dict[str, list], *, day: int = 15, extras=None):
    """One call a day from `day`, criterion scores taken column-wise; others pass."""
    n = len(next(iter(column.values())))
    out = []
    for i in range(n):
        scores = dict(PASS)
        scores.update({cid: values[i] for cid, values in column.items()})
        spec = (f"{rep[0].lower()}{i}", rep, at(day + i), "discovery", scores)
        out.append(spec + ((extras[i],) if extras else ()))
    return out


def rubric_with(weights: dict[str, float]) -> dict:
    r = copy.deepcopy(RUBRIC)
    for c in r["criteria"]:
        c["weight"] = weights.get(c["id"], c["weight"])
    return r


@pytest.mark.parametrize("weights, columns, expected", [
    ({}, {"discovery": [0.5, 0.5, 1.0], "next_step": [0.5, 0.5, 1.0]}, "discovery"),
    ({"next_step": 5}, {"discovery": [0.5, 0.5, 1.0], "next_step": [0.5, 0.5, 1.0]}, "next_step"),
    ({"discovery": 1, "next_step": 1},
     {"discovery": [0.2, 1.0, 0.6, 0.6], "next_step": [0.6, 0.6, 0.6, 0.6]}, "next_step"),
    ({"discovery": 1, "next_step": 1},
     {"discovery": [0.5, 0.5, 1.0], "next_step": [0.5, 0.5, 1.0]}, "discovery"),
    ({}, {"discovery": [0.6, 0.6, 0.6], "next_step": [0.0, 1.0, 0.7]}, "next_step"),
], ids=["tie-higher-weight", "tie-weight-other-way", "tie-more-failures", "tie-rubric-order",
        "lowest-mean-wins"])
def test_lowest_criterion_and_ties(new_db, tmp_path, weights, columns, expected):
    store = make_store(new_db, rubric_with(weights), calls_for("Dana", columns))
    assert select(store, "Dana", as_of=AS_OF).criterion_id == expected


@pytest.mark.parametrize("failed, total, rule, review, chosen, confirmed", [
    (1, 10, "first_occurrence", (1, 1), 1, False),
    (2, 10, "at_or_below_rate", (1, 2), 2, False),
    (3, 10, "at_or_below_rate", (1, 2), 2, True),    # exactly 30 %: not above it
    (4, 10, "above_rate", (2, 3), 3, True),
    (2, 6, "above_rate", (2, 3), 2, False),          # 33 %, but only two failed calls exist
    (6, 6, "above_rate", (2, 3), 3, True),
], ids=["first-occurrence", "20pct", "30pct-boundary", "40pct", "33pct-two-exist", "all"])
def test_review_rule_and_confirmation(new_db, tmp_path, failed, total, rule, review, chosen, confirmed):
    scores = [0.4] * failed + [1.0] * (total - failed)
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": scores}, day=14))
    s = select(store, "Dana", as_of=AS_OF)
    assert (s.review_rule, (s.review_min, s.review_max), len(s.chosen), s.pattern_confirmed) \
        == (rule, review, chosen, confirmed)
    assert s.status == ("first_occurrence" if failed == 1 else "pattern")
    assert (s.failures, s.calls_applicable, s.failure_rate) == (failed, total, failed / total)


def test_messages_state_the_rule(new_db, tmp_path):
    scores = [0.4] * 5 + [1.0] * 3
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": scores}))
    assert select(store, "Dana", as_of=AS_OF).message == (
        "Failed on 5 of 8 calls (62%) — pattern confirmed; review 3 "
        "(failure rate above 30% → review 2–3 to prove the pattern)")
    store = make_store(new_db, RUBRIC, calls_for("Eli", {"discovery": [0.4, 0.4] + [1.0] * 8},
                                                   day=14), name="b.db")
    assert select(store, "Eli", as_of=AS_OF).message == (
        "Failed on 2 of 10 calls (20%) — not yet a confirmed pattern (needs 3 failed calls); "
        "review 2 (failure rate 30% or less → review 1–2)")


def test_confirm_calls_is_a_parameter(new_db, tmp_path):
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": [0.4, 0.4, 1.0, 1.0]}))
    assert not select(store, "Dana", as_of=AS_OF).pattern_confirmed
    assert select(store, "Dana", as_of=AS_OF, confirm_calls=2).pattern_confirmed


def test_not_applicable_is_excluded(new_db, tmp_path):
    # Objection handling applies on two calls only: its mean and failure rate use those two.
    calls = calls_for("Dana", {"objection_handling": [0.5, None, None, 0.0, None],
                               "discovery": [0.6, 1.0, 1.0, 1.0, 1.0]})
    s = select(make_store(new_db, RUBRIC, calls), "Dana", as_of=AS_OF)
    assert (s.criterion_id, s.criterion_mean, s.calls_applicable, s.failures) == \
        ("objection_handling", 0.25, 2, 2)
    assert s.failure_rate == 1.0
    assert s.message.startswith("Failed on 2 of 2 calls where it applied (100%)")
    assert s.criteria_means["discovery"] == pytest.approx(0.92)


def test_never_applicable_criterion_is_never_picked(new_db, tmp_path):
    calls = calls_for("Dana", {"discovery": [0.6, 1.0, 1.0]})
    s = select(make_store(new_db, RUBRIC, calls), "Dana", as_of=AS_OF)
    assert s.criterion_id == "discovery"
    assert s.criteria_means["objection_handling"] is None


def test_lowest_mean_without_failures_is_skipped(new_db, tmp_path):
    # Discovery never fails (0.75 each) but has the lowest mean; next step failed once.
    calls = calls_for("Dana", {"discovery": [0.75] * 4, "next_step": [0.5, 1.0, 1.0, 1.0]})
    s = select(make_store(new_db, RUBRIC, calls), "Dana", as_of=AS_OF)
    assert (s.criterion_id, s.status) == ("next_step", "first_occurrence")


@pytest.mark.parametrize("calls, status, message", [
    (2, "too_few_calls", "only 2 calls in the last 14 days — too few to pick a pattern; "
                         "need 3, or a failed call within 48 h"),
    (1, "too_few_calls", "only 1 call in the last 14 days — too few to pick a pattern; "
                         "need 3, or a failed call within 48 h"),
    (0, "no_calls", "no calls in the last 14 days"),
], ids=["two", "one", "none"])
def test_too_few_calls(new_db, tmp_path, calls, status, message):
    specs = calls_for("Dana", {"discovery": [0.0] * 3}, day=23)[:calls]   # none fresh
    specs.append(("old", "Dana", at(1), "discovery", {"discovery": 0.0}))  # outside the window
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert (s.status, s.message, s.criterion_id, s.chosen) == (status, message, None, [])
    assert s.calls_in_window == calls


def test_a_fresh_failure_is_a_first_occurrence_even_with_few_calls(new_db, tmp_path):
    # two calls in 14 days, both failing, one within the last 48 hours (issue 14)
    specs = [("d0", "Dana", at(20), "discovery", {**PASS, "discovery": 0.2}),
             ("d1", "Dana", at(26, 9), "discovery", {**PASS, "discovery": 0.4})]
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert (s.status, s.review_rule, s.pattern_confirmed) == ("first_occurrence",
                                                               "fresh_failure", False)
    assert (s.criterion_id, s.failures, s.calls_applicable) == ("discovery", 2, 2)
    assert (s.review_min, s.review_max, [c.call_id for c in s.chosen]) == (1, 1, ["d1"])
    assert s.chosen[0].fresh and s.fresh_failures == 1
    assert s.message == (
        "Failed on 2 of 2 calls (100%) — first occurrence, not yet a confirmed pattern (only 2 "
        "calls in the last 14 days; 3 show a pattern); a failed call within 48 h: review it "
        "in depth")


def test_with_few_calls_only_a_criterion_that_failed_lately_is_coached(new_db, tmp_path):
    # next_step failed long ago (lower mean); discovery failed today: the fresh one is coached
    specs = [("d0", "Dana", at(15), "discovery", {**PASS, "next_step": 0.0}),
             ("d1", "Dana", at(27, 9), "discovery", {**PASS, "discovery": 0.5})]
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert (s.status, s.criterion_id, [c.call_id for c in s.chosen]) == (
        "first_occurrence", "discovery", ["d1"])


def test_min_calls_is_a_parameter(new_db, tmp_path):
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": [0.0, 0.0]}))
    assert select(store, "Dana", as_of=AS_OF, min_calls=2).criterion_id == "discovery"


def test_passes_everything(new_db, tmp_path):
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": [1.0, 0.7, 0.9]}))
    s = select(store, "Dana", as_of=AS_OF)
    assert (s.status, s.message) == (
        "no_failures",
        "passed every criterion on all 3 calls in the last 14 days — nothing to coach")


def test_window_is_open_at_start_closed_at_as_of(new_db, tmp_path):
    start = AS_OF - timedelta(days=14)
    specs = [("at-start", "Dana", start, "demo", {"discovery": 0.0}),
             ("in-1", "Dana", start + timedelta(seconds=1), "demo", {"discovery": 0.5}),
             ("in-2", "Dana", AS_OF - timedelta(days=1), "demo", {"discovery": 1.0}),
             ("at-end", "Dana", AS_OF, "demo", {"discovery": 0.5}),
             ("after", "Dana", AS_OF + timedelta(seconds=1), "demo", {"discovery": 0.0})]
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert s.calls_in_window == 3
    assert sorted(c.call_id for c in s.chosen) == ["at-end", "in-1"]


@pytest.mark.parametrize("age, fresh", [
    (timedelta(hours=48), True),
    (timedelta(hours=48, seconds=1), False),
    (timedelta(hours=1), True),
], ids=["exactly-48h-in", "48h-1s-out", "1h"])
def test_freshness_boundary(new_db, tmp_path, age, fresh):
    specs = [("flag", "Dana", AS_OF - age, "demo", {"discovery": 0.2}),
             ("p1", "Dana", at(15), "demo", {"discovery": 1.0}),
             ("p2", "Dana", at(16), "demo", {"discovery": 1.0})]
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert s.chosen[0].fresh is fresh
    assert s.fresh_failures == int(fresh)
    assert s.latest_failure == AS_OF - age


def test_chosen_by_evidence_not_recency_or_overall(new_db, tmp_path):
    specs = [
        # The most recent call and the worst overall call are not the clearest evidence.
        ("recent", "Dana", at(27), "demo", {**PASS, "discovery": 0.6}, {"account": "A"}),
        ("worst-overall", "Dana", at(20), "demo",
         {"discovery": 0.5, "next_step": 0.6, "pricing_language": 0.5}, {"account": "B"}),
        ("lowest", "Dana", at(16), "demo", {**PASS, "discovery": 0.2}, {"account": "C"}),
        ("two-violations", "Dana", at(17), "demo", {**PASS, "discovery": 0.5},
         {"account": "D", "violations": {"discovery": 2}}),
    ]
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert s.criterion_id == "discovery"
    assert [c.call_id for c in s.chosen] == ["lowest", "two-violations", "worst-overall"]
    assert s.chosen[1].moments[0].kind == "violation" and len(s.chosen[1].moments) == 2
    assert s.chosen[0].reason == "discovery failed at 0.20"


def test_equal_evidence_prefers_another_account(new_db, tmp_path):
    same = [{"utterances": None, "account": acct,
             "moments": {"discovery": []}} for acct in ("A", "A", "B", "A")]
    specs = [(f"c{i}", "Dana", at(15 + i), ctype, {"discovery": 0.4}, extra)
             for i, (ctype, extra) in enumerate(zip(["demo"] * 4, same))]
    s = select(make_store(new_db, RUBRIC, specs), "Dana", as_of=AS_OF)
    assert [c.call_id for c in s.chosen] == ["c0", "c2", "c1"]


def test_pass_mark_override(new_db, tmp_path):
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": [0.75, 0.8, 1.0]}))
    assert select(store, "Dana", as_of=AS_OF).status == "no_failures"
    s = select(store, "Dana", as_of=AS_OF, pass_mark=0.9)
    assert (s.status, s.failures, s.pass_mark) == ("pattern", 2, 0.9)


def test_unknown_rep_suggests(new_db, tmp_path):
    store = make_store(new_db, RUBRIC, calls_for("Dana Ortiz", {"discovery": [0.5]}))
    with pytest.raises(NotFoundError) as e:
        select(store, "Dana Ortis", as_of=AS_OF)
    assert str(e.value) == ("no calls by rep 'Dana Ortis' scored with rubric 'test-discovery' "
                            "(did you mean 'Dana Ortiz'?)")
    assert select(store, "dana ortiz", as_of=AS_OF).rep == "Dana Ortiz"


def test_to_dict_is_json_ready(new_db, tmp_path):
    import json
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": [0.4, 0.4, 1.0]}))
    d = json.loads(json.dumps(select(store, "Dana", as_of=AS_OF).to_dict()))
    assert d["chosen"][0]["moments"][0]["kind"] == "violation"
    assert d["as_of"] == "2026-11-27T18:00:00" and d["start"] == "2026-11-13T18:00:00"


def test_cli_text(new_db, tmp_path):
    from typer.testing import CliRunner

    from callcoach.cli.app import app
    calls = calls_for("Dana", {"discovery": [0.4, 1.0, 0.2, 1.0]},
                      extras=[{"account": "Acme"}, {}, {"account": "Birch"}, {}])
    store = make_store(new_db, RUBRIC, calls)
    result = CliRunner().invoke(app, ["select", "--rep", "dana", "--db", store.path,
                                      "--as-of", "2026-11-18T12:00"])
    assert result.exit_code == 0, result.output
    assert result.output == """\
Dana · rubric test-discovery · last 14 days (after 2026-11-04 12:00 up to 2026-11-18 12:00, UTC) · pass mark 70%

Coach on: Discovery questions (discovery)
Standard: Ask all three discovery questions before pricing.
Score: 65% over the last 14 days, 4 calls counted
Why: Failed on 2 of 4 calls (50%) — not yet a confirmed pattern (needs 3 failed calls); \
review 2 (failure rate above 30% → review 2–3 to prove the pattern; only 2 failed).
Fresh: 1 failed call within the last 48 hours — coach soon.

Calls to review (2), chosen by the evidence, not recency:
1. d2 · 2026-11-17 10:00 · discovery · Birch — scored 20% · fresh
   discovery failed at 0.20
     02:00  Dana (rep) [violation]: Our pricing starts at forty dollars a seat. (similarity 98)
2. d0 · 2026-11-15 10:00 · discovery · Acme — scored 40%
   discovery failed at 0.40
     02:00  Dana (rep) [violation]: Our pricing starts at forty dollars a seat.

All criteria, mean over 4 calls: discovery 65% · objection_handling n/a · next_step 100% · \
pricing_language 100%
"""


def test_cli_unknown_rep(new_db, tmp_path):
    from typer.testing import CliRunner

    from callcoach.cli.app import app
    store = make_store(new_db, RUBRIC, calls_for("Dana", {"discovery": [0.4]}))
    result = CliRunner().invoke(app, ["select", "--rep", "Dna", "--db", store.path])
    assert result.exit_code == 1
    assert "did you mean 'Dana'?" in result.output
