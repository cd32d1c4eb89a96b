"""progress: verdicts at their boundaries, the other-dimensions warning, the change-the-
intervention flag, the weekly picture and the CLI's exact output."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from typer.testing import CliRunner

from callcoach.analytics.progress import (DECLINING, FLAT, IMPROVING, TOO_EARLY, TOO_FEW,
                                          Settings, progress)
from callcoach.cli.app import app
from callcoach.render.progress import sparkline
from coaching_helpers import make_store

RUBRIC_ID = "test-discovery"
D = date(2026, 10, 1)  # a Thursday; the session day in every test
C = "discovery"


def day(offset: int, hour: int = 10) -> datetime:
    return datetime.combine(D + timedelta(days=offset), time(hour))


def end_of(offset: int) -> datetime:
    return datetime.combine(D + timedelta(days=offset), time(23, 59, 59))


def calls(rep: str, by_offset: dict[int, float | dict | None]) -> list[tuple]:
    """One call per offset day; a float is the discovery score, a dict all the scores."""
    out = []
    for offset, scores in sorted(by_offset.items()):
        if not isinstance(scores, dict):
            scores = {C: scores}
        out.append((f"{rep}-{offset:+03d}", rep, day(offset), "discovery", scores))
    return out


def store_with(new_db, name, rep_calls: list[tuple], sessions=((C, 0),), rep="dana"):
    store = make_store(new_db, calls=rep_calls, name=name)
    for criterion, offset in sessions:
        store.add_session(rep, RUBRIC_ID, criterion, (D + timedelta(days=offset)).isoformat())
    return store


def only(store, as_of: datetime, **settings):
    result = progress(store, as_of=as_of, settings=Settings(**settings))
    assert len(result.sessions) == 1
    return result.sessions[0]


BASE = {-10: 0.5, -3: 0.5}   # baseline 50 on two calls


@pytest.mark.parametrize("after, verdict, change", [
    ({3: 0.55, 9: 0.55}, IMPROVING, 5.0),      # exactly +moved counts as movement
    ({3: 0.549, 9: 0.549}, FLAT, 4.9),
    ({3: 0.45, 9: 0.45}, DECLINING, -5.0),     # exactly -moved counts too
    ({3: 0.451, 9: 0.451}, FLAT, -4.9),
    ({3: 0.5, 9: 0.5}, FLAT, 0.0),
    ({3: 0.72, 9: 0.72}, IMPROVING, 22.0),
], ids=["plus-5-improving", "plus-4.9-flat", "minus-5-declining", "minus-4.9-flat", "same",
        "58-to-72-shape"])
def test_verdict_boundaries(new_db, tmp_path, after, verdict, change):
    store = store_with(new_db, "coach", calls("dana", {**BASE, **after}))
    s = only(store, end_of(14))
    assert (s.verdict, s.change, s.verdict_window) == (verdict, change, "weeks_1_2")


def test_moved_flag_changes_the_boundary(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", {**BASE, 3: 0.53, 9: 0.53}))
    assert only(store, end_of(14)).verdict == FLAT
    assert only(store, end_of(14), moved=3).verdict == IMPROVING


@pytest.mark.parametrize("as_of, verdict", [
    (end_of(14) - timedelta(seconds=1), TOO_EARLY),   # weeks 1-2 still open
    (end_of(14), IMPROVING),                          # --as-of <day 14> = its end: ended
    (end_of(0), TOO_EARLY),
], ids=["one-second-before", "end-of-day-14", "session-day"])
def test_too_early_until_the_two_week_window_ends(new_db, tmp_path, as_of, verdict):
    store = store_with(new_db, "coach", calls("dana", {**BASE, 3: 0.8, 9: 0.8}))
    s = only(store, as_of)
    assert s.verdict == verdict
    assert s.windows["weeks_1_2"].ended is (verdict != TOO_EARLY)


@pytest.mark.parametrize("by_offset, verdict", [
    ({-3: 0.5, 3: 0.8, 9: 0.8}, TOO_FEW),                        # one baseline call
    ({**BASE, 3: 0.8}, TOO_FEW),                                 # one call after
    ({**BASE, 3: 0.8, 9: None}, TOO_FEW),                        # N/A is not a scored call
    ({**BASE, 3: 0.8, 9: 0.8}, IMPROVING),                       # two each: read
    ({-20: 0.5, -3: 0.5, 3: 0.8, 9: 0.8}, TOO_FEW),              # day -20 is outside baseline
    ({**BASE, 0: 0.9, 3: 0.8}, TOO_FEW),                         # the session day is in no window
], ids=["baseline-1", "after-1", "na-excluded", "two-each", "outside-baseline", "day-0"])
def test_too_few_calls(new_db, tmp_path, by_offset, verdict):
    store = store_with(new_db, "coach", calls("dana", by_offset))
    assert only(store, end_of(14)).verdict == verdict


def test_min_calls_flag(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", {**BASE, 3: 0.8, 9: 0.8}))
    assert only(store, end_of(14), min_calls=3).verdict == TOO_FEW


def test_verdict_reads_weeks_3_4_once_ended_else_falls_back(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", {**BASE, 3: 0.8, 9: 0.8, 16: 0.5, 25: 0.5}))
    s = only(store, end_of(28))
    assert (s.verdict, s.verdict_window, s.change) == (FLAT, "weeks_3_4", 0.0)
    s = only(store, end_of(27))   # weeks 3-4 still open: weeks 1-2 speak
    assert (s.verdict, s.verdict_window, s.change) == (IMPROVING, "weeks_1_2", 30.0)
    # weeks 3-4 ended with one call: the latest window with enough calls (weeks 1-2) speaks
    store = store_with(new_db, "b", calls("dana", {**BASE, 3: 0.8, 9: 0.8, 16: 0.5}))
    s = only(store, end_of(40))
    assert (s.verdict, s.verdict_window) == (IMPROVING, "weeks_1_2")


def test_windows_carry_their_calls_and_exclude_calls_after_as_of(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", {**BASE, 3: 0.8, 9: 0.6, 12: 0.1}))
    s = only(store, day(10))
    w = s.windows["weeks_1_2"]
    assert (w.call_ids, w.score, w.ended) == (["dana-+03", "dana-+09"], 0.7, False)
    assert s.windows["baseline"].call_ids == ["dana--10", "dana--03"]


def other_dims(before_next: float, after_next: float, after_c: float = 0.5) -> dict:
    return {-10: {C: 0.5, "next_step": before_next}, -3: {C: 0.5, "next_step": before_next},
            3: {C: after_c, "next_step": after_next}, 9: {C: after_c, "next_step": after_next}}


@pytest.mark.parametrize("by_offset, warned", [
    (other_dims(0.0, 1.0), True),              # overall 30 -> 70, criterion flat
    (other_dims(0.0, 0.125), True),            # overall 30 -> 35: exactly +moved
    (other_dims(0.0, 0.12), False),            # overall +4.8: not a rise
    (other_dims(0.0, 1.0, after_c=0.6), False),  # criterion improved: nothing to warn about
], ids=["rose-40", "rose-5", "rose-4.8", "criterion-moved"])
def test_overall_up_while_criterion_flat_warns(new_db, tmp_path, by_offset, warned):
    store = store_with(new_db, "coach", calls("dana", by_offset))
    s = only(store, end_of(14))
    codes = [n.code for n in s.notes]
    assert codes == (["other_dimensions"] if warned else [])
    if warned:
        assert s.verdict == FLAT
        assert "responded on other dimensions" in s.notes[0].message


FLAT_RUN = {-10: 0.5, -3: 0.5, 5: 0.5, 12: 0.52, 20: 0.5, 29: 0.5, 35: 0.5, 45: 0.5, 55: 0.5}


@pytest.mark.parametrize("second, by_offset, as_of, flagged", [
    (30, FLAT_RUN, end_of(60), True),          # two sessions 30 days apart, flat: flag
    (31, FLAT_RUN, end_of(60), False),         # 31 days apart: not "within 30 days"
    (14, FLAT_RUN, end_of(29), False),         # the 30 days after the first have not ended
    (14, FLAT_RUN, end_of(30), True),
    (14, {**FLAT_RUN, 5: 0.58, 12: 0.58, 20: 0.5, 29: 0.5}, end_of(60), True),  # +4.0 in 30 d
    (14, {**FLAT_RUN, 5: 0.6, 12: 0.6, 20: 0.55, 29: 0.55}, end_of(60), False),  # +7.5: moved
    (14, {-3: 0.5, **{k: v for k, v in FLAT_RUN.items() if k > 0}}, end_of(60), False),
], ids=["30-days-apart", "31-days-apart", "period-open", "period-ended", "moved-4",
        "moved-7.5", "baseline-too-few"])
def test_change_the_intervention(new_db, tmp_path, second, by_offset, as_of, flagged):
    store = store_with(new_db, "coach", calls("dana", by_offset), sessions=((C, 0), (C, second)))
    result = progress(store, as_of=as_of)
    first, later = result.sessions
    assert [n.code for n in first.notes if n.code == "change_intervention"] == []
    assert [n.code for n in later.notes if n.code == "change_intervention"] == (
        ["change_intervention"] if flagged else [])
    assert result.trends[0].change_intervention is flagged


def test_intervention_flag_needs_the_same_criterion(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", FLAT_RUN), sessions=((C, 0), ("next_step", 14)))
    result = progress(store, as_of=end_of(60))
    assert not any(n.code == "change_intervention" for s in result.sessions for n in s.notes)


def test_weekly_trend_marks_session_weeks(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", {-10: 0.0, -3: 0.5, 3: 0.7, 16: 1.0}))
    trend = progress(store, as_of=end_of(20)).trends[0]
    # Mondays from the baseline's week (day -14 = Sep 17 -> Sep 14) to as_of's week (Oct 19)
    assert [w.monday for w in trend.weeks] == [date(2026, 9, 14) + timedelta(weeks=i)
                                               for i in range(6)]
    # day -3 (Mon Sep 28) and day 3 (Sun Oct 4) share the session's week
    assert [w.score for w in trend.weeks] == [None, 0.0, 0.6, None, 1.0, None]   # 0..1
    assert [w.calls for w in trend.weeks] == [0, 1, 2, 0, 1, 0]
    assert [w.session for w in trend.weeks] == [False, False, True, False, False, False]
    assert sparkline(trend.weeks) == ("·▁▅·█·", "  ▲")


def test_sessions_after_as_of_are_not_shown_and_rep_filter(new_db, tmp_path):
    rows = calls("dana", BASE) + calls("eli", BASE)
    store = store_with(new_db, "coach", rows, sessions=((C, 0), (C, 5)))
    store.add_session("eli", RUBRIC_ID, C, D.isoformat())
    assert len(progress(store, as_of=end_of(2)).sessions) == 2
    assert [s.session.rep for s in progress(store, as_of=end_of(9), rep="eli").sessions] == \
        ["eli"]


def test_rep_by_case_and_unknown_rep_did_you_mean(new_db, tmp_path):
    store = store_with(new_db, "coach", calls("dana", BASE))
    assert [s.session.rep for s in progress(store, as_of=end_of(9), rep="Dana").sessions] == \
        ["dana"]
    with pytest.raises(Exception) as info:
        progress(store, as_of=end_of(9), rep="danna")
    assert "did you mean 'dana'?" in str(info.value)


# -- CLI ----------------------------------------------------------------------------------
def cli_store(new_db, name="coach"):
    """Two reps coached on discovery the same day: dana improves, eli stays flat while his
    overall score rises."""
    rows = calls("dana", {-10: 0.4, -3: 0.6, 3: 0.7, 9: 0.8, 17: 0.8, 24: 0.9})
    rows += calls("eli", {o: {C: 0.5, "next_step": 0.0 if o < 0 else 1.0}
                          for o in (-11, -4, 4, 10, 18, 23)})
    store = store_with(new_db, name, rows)
    store.add_session("eli", RUBRIC_ID, C, D.isoformat())
    store.close()
    return new_db(name)


def run(db, *args):
    return CliRunner().invoke(app, ["progress", "--db", db, "--as-of", "2026-10-29", *args],
                              env={"COLUMNS": "100"})


MARKDOWN = """\
# Coaching progress

As of 2026-10-29 (UTC). Before = the 14 days before the session; weeks 1-2 = days 1-14 after it, \
weeks 3-4 = days 15-28. Scores are the coached criterion's mean (scored calls in brackets; … \
= window still open). Change = the latest ended window with 2+ scored calls (in brackets) minus \
Before, in points; ±5 is movement. Overall = the mean overall score (0-100) of the rep's calls, \
Before → that window: context only.

| Rep | Criterion | Session | Before | Weeks 1-2 | Weeks 3-4 | Change | Verdict | Overall (context) |
|---|---|---|---|---|---|---:|---|---|
| dana | Discovery questions | 2026-10-01 | 50.0% (2) | 75.0% (2) | 85.0% (2) | +35.0 (3-4) | \
**improving** | 50.0 → 85.0 |
| eli | Discovery questions | 2026-10-01 | 50.0% (2) | 50.0% (2) | 50.0% (2) | +0.0 (3-4) | \
**flat** | 30.0 → 70.0 |

**Warnings**

- eli · Discovery questions (session 2026-10-01): overall score rose +40.0 pts (30.0 → 70.0, \
before → weeks 3-4) while the coached criterion stayed flat (+0.0 pts): the rep responded on \
other dimensions

## Weekly score of each coached criterion

One character per week, Monday to Sunday: ▁ 0% … █ 100%, · no scored call; ▲ marks a week \
with a session.

**dana · Discovery questions** — weeks from 2026-09-14, pass mark 70%

```
·▄▆▇▇█·
  ▲
```

**eli · Discovery questions** — weeks from 2026-09-14, pass mark 70%

```
▅▅·▅·▅·
  ▲
```
"""


def test_cli_markdown_exact(new_db, tmp_path):
    result = run(cli_store(new_db), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output == MARKDOWN


TABLE = """\
dana · Discovery questions (discovery)
Session      Before      Weeks 1-2   Weeks 3-4        Change   Verdict     Overall
──────────────────────────────────────────────────────────────────────────────────────
2026-10-01   50.0% (2)   75.0% (2)   85.0% (2)   +35.0 (3-4)   improving   50.0 → 85.0
weekly:  ·▄▆▇▇█·  (weeks from 2026-09-14, pass mark 70%)
           ▲

eli · Discovery questions (discovery)
Session      Before      Weeks 1-2   Weeks 3-4       Change   Verdict   Overall
───────────────────────────────────────────────────────────────────────────────────
2026-10-01   50.0% (2)   50.0% (2)   50.0% (2)   +0.0 (3-4)   flat      30.0 → 70.0
weekly:  ▅▅·▅·▅·  (weeks from 2026-09-14, pass mark 70%)
           ▲

warning: eli · Discovery questions (session 2026-10-01): overall score rose +40.0 pts (30.0 → \
70.0, before → weeks 3-4) while the coached criterion stayed flat (+0.0 pts): the rep responded \
on other dimensions

As of 2026-10-29 (UTC). Before = the 14 days before the session; weeks 1-2 = days 1-14 after it, \
weeks 3-4 = days 15-28. Scores are the coached criterion's mean (scored calls in brackets; … = \
window still open). Change = the latest ended window with 2+ scored calls (in brackets) minus \
Before, in points; ±5 is movement. Overall = the mean overall score (0-100) of the rep's calls, \
Before → that window: context only.
One character per week, Monday to Sunday: ▁ 0% … █ 100%, · no scored call; ▲ marks a week with \
a session.
"""


def test_cli_table_exact(new_db, tmp_path):
    # piped: whole lines, whatever $COLUMNS says (run() sets it to 100)
    result = run(cli_store(new_db))
    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.output.splitlines()] == \
        [line.rstrip() for line in TABLE.splitlines()]


def test_cli_json_shape(new_db, tmp_path):
    result = run(cli_store(new_db), "--format", "json", "--rep", "dana")
    data = json.loads(result.output)
    assert data["settings"] == {"baseline_days": 14, "window_days": 14, "moved": 5.0,
                                "min_calls": 2, "intervention_days": 30}
    (s,) = data["sessions"]
    assert (s["rep"], s["verdict"], s["verdict_window"], s["change"]) == \
        ("dana", "improving", "weeks_3_4", 35.0)
    assert s["windows"]["baseline"] == {
        "from": "2026-09-17", "to": "2026-09-30", "ended": True, "score": 0.5, "calls": 2,
        "call_ids": ["dana--10", "dana--03"], "overall": 50.0, "overall_calls": 2}
    assert data["criteria"][0]["sessions"] == ["2026-10-01"]
    # one scale per kind: a criterion score and a pass mark are 0..1, as in every other
    # output; an overall score 0-100; a change between two scores, points
    assert data["criteria"][0]["pass_mark"] == 0.7
    assert [w["score"] for w in data["criteria"][0]["weeks"]][:3] == [None, 0.4, 0.65]


def test_the_numbers_on_one_screen_agree(new_db, tmp_path):
    # before 40.0% (5 calls); weeks 1-2 38.5% (6); weeks 3-4 38.5% (2); days 1-30 38.5%. The
    # change is read from the percentages as shown and names the window it read; the flag of
    # the second session names its windows and adds up too.
    scores = {-13: 0.4, -11: 0.4, -9: 0.4, -7: 0.4, -5: 0.4,
              2: 0.5, 4: 0.3, 6: 0.4, 8: 0.31, 10: 0.4, 12: 0.4, 20: 0.4, 22: 0.37}
    store = store_with(new_db, "coach", calls("dana", scores))
    store.add_session("dana", RUBRIC_ID, C, (D + timedelta(days=14)).isoformat())
    store.close()

    def table(offset: int) -> list[str]:
        result = CliRunner().invoke(app, ["progress", "--db", str(new_db("coach")),
                                          "--as-of", (D + timedelta(days=offset)).isoformat()])
        assert result.exit_code == 0, result.output
        return [line.rstrip() for line in result.output.splitlines()]

    lines = table(31)
    assert lines[3].split()[1:10] == ["40.0%", "(5)", "38.5%", "(6)", "38.5%", "(2)",
                                      "-1.5", "(3-4)", "flat"]
    (flag,) = [line for line in lines if line.startswith("flag:")]
    assert "(40.0% in the 14 days before it → 38.5% in days 1-30 after it, -1.5 pts)" in flag
    # weeks 3-4 still open: the change reads weeks 1-2, and says so beside the open cell
    assert table(27)[3].split()[1:10] == ["40.0%", "(5)", "38.5%", "(6)", "38.5%", "(2)…",
                                          "-1.5", "(1-2)", "flat"]


def test_cli_html_has_chart_with_session_markers(new_db, tmp_path):
    out = tmp_path / "progress.html"
    result = run(cli_store(new_db), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 2
    assert page.count('<g class="session" data-day="2026-10-01">') == 2
    assert 'class="threshold"' in page and "pass mark 70%" in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert run(cli_store(new_db, "again"), "--format", "html").output == page


def test_cli_flags_reach_the_rules(new_db, tmp_path):
    result = run(cli_store(new_db), "--format", "json", "--moved", "40", "--rep", "dana")
    assert json.loads(result.output)["sessions"][0]["verdict"] == "flat"


@pytest.mark.parametrize("args, code, text", [
    (["--format", "pdf"], 2, "'pdf' is not one of 'table', 'json', 'markdown', 'html'"),
    (["--rep", "dnaa"], 1, "did you mean 'dana'?"),
], ids=["bad-format", "unknown-rep"])
def test_cli_errors(new_db, tmp_path, args, code, text):
    result = run(cli_store(new_db), *args)
    assert result.exit_code == code
    assert text in result.output
