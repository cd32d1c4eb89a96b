"""Coaching progress as a terminal table (with weekly sparklines), Markdown, self-contained
HTML (with an inline SVG chart per coached criterion) or JSON (`Progress.to_dict()`, the
contract documented in docs/progress.md).
"""
from __future__ import annotations

import json
from datetime import datetime, time

from rich.console import Group
from rich.text import Text

from callcoach.analytics.progress import (DECLINING, FLAT, IMPROVING, WINDOWS, Progress,
                                          SessionProgress, Trend, Week, Window, percent)
from callcoach.fmt import pct, plural
from callcoach import zones
from callcoach.render import pages
from callcoach.render.svg import Marker, Point, week_chart
from callcoach.render.tables import Column, table

BLOCKS = "▁▂▃▄▅▆▇█"
NO_CALLS = "·"
SESSION_MARK = "▲"
VERDICT_STYLE = {IMPROVING: "green", DECLINING: "red", FLAT: "yellow"}


def render(progress: Progress, fmt: str) -> str:
    if fmt == "json":
        return to_json(progress)
    if fmt == "html":
        return to_html(progress)
    return to_markdown(progress)


def to_json(progress: Progress) -> str:
    return json.dumps(progress.to_dict(), indent=2, ensure_ascii=False) + "\n"


# -- shared wording -----------------------------------------------------------------------
def when(as_of: datetime) -> str:
    """A bare-date --as-of (end of day) reads as the date; the zone is named after it."""
    if as_of.time() == time(23, 59, 59):
        shown = as_of.date().isoformat()
    else:
        shown = f"{as_of:%Y-%m-%d %H:%M}"
    return f"{shown} ({zones.name_of(as_of.tzinfo)})"


def cell(window: Window, as_of: datetime) -> str:
    """'37.5% (8)': the window's score and its scored calls; '…' while the window is open."""
    if as_of < zones.wall(datetime.combine(window.first_day, time.min), as_of.tzinfo):
        return "not yet"
    return f"{percent(window.score)} ({len(window.call_ids)})" + ("" if window.ended else "…")


SHORT = {"weeks_1_2": "1-2", "weeks_3_4": "3-4"}


def change(s: SessionProgress) -> str:
    """'-2.5 (3-4)': the change, in points, and the window after the session it read."""
    if s.change is None:
        return ""
    return f"{s.change:+.1f} ({SHORT[s.verdict_window]})"


def overall(s: SessionProgress) -> str:
    """The overall score before -> in the verdict's window: context, never the verdict."""
    if s.verdict_window is None:
        return ""
    before, after = s.windows["baseline"].overall, s.windows[s.verdict_window].overall
    if before is None or after is None:
        return "n/a"
    return f"{before:.1f} → {after:.1f}"


def settings_line(progress: Progress) -> str:
    st = progress.settings
    return (f"As of {when(progress.as_of)}. Before = the {st.baseline_days} days before the "
            f"session; weeks 1-2 = days 1-{st.window_days} after it, weeks 3-4 = days "
            f"{st.window_days + 1}-{2 * st.window_days}. Scores are the coached criterion's "
            f"mean (scored calls in brackets; … = window still open). Change = the latest "
            f"ended window with {st.min_calls}+ scored calls (in brackets) minus Before, in "
            f"points; ±{st.moved:g} is movement. Overall = the mean overall score (0-100) of "
            f"the rep's calls, Before → that window: context only.")


def sparkline(weeks: list[Week]) -> tuple[str, str]:
    """One character per week (▁ 0% … █ 100%, · no scored call) and, under it, ▲ for each
    week with a session."""
    line = "".join(NO_CALLS if w.score is None else BLOCKS[min(7, int(w.score * 8))]
                   for w in weeks)
    marks = "".join(SESSION_MARK if w.session else " " for w in weeks).rstrip()
    return line, marks


def _title(t: Trend) -> str:
    return f"{t.rep} · {t.criterion_name}"


def _notes(progress: Progress) -> tuple[list[str], list[str]]:
    warnings, flags = [], []
    for s in progress.sessions:
        head = f"{s.session.rep} · {s.criterion_name} (session {s.session.held_on})"
        for n in s.notes:
            (flags if n.code == "change_intervention" else warnings).append(
                f"{head}: {n.message}")
    return warnings, flags


SPARK_LEGEND = (f"One character per week, Monday to Sunday: {BLOCKS[0]} 0% … {BLOCKS[-1]} 100%, "
                f"{NO_CALLS} no scored call; {SESSION_MARK} marks a week with a session.")


# -- terminal -----------------------------------------------------------------------------
def _sessions_of(progress: Progress, t: Trend) -> list[SessionProgress]:
    return [s for s in progress.sessions if (s.session.rep, s.session.rubric_id,
                                             s.session.criterion_id)
            == (t.rep, t.rubric_id, t.criterion_id)]


def to_table(progress: Progress) -> Group:
    """Rich renderables for the terminal: per coached criterion, its sessions with their
    verdicts, then its weekly sparkline; notes and the rules last."""
    parts: list = []
    for t in progress.trends:
        columns = [Column(name, "right" if name == "Change" else "left") for name in
                   ("Session", "Before", "Weeks 1-2", "Weeks 3-4", "Change", "Verdict", "Overall")]
        rows = [[s.session.held_on, *(cell(s.windows[k], progress.as_of) for k in WINDOWS),
                 change(s), Text(s.verdict, style=VERDICT_STYLE.get(s.verdict, "dim")),
                 overall(s)] for s in _sessions_of(progress, t)]
        grid = table(columns, rows, title=f"{_title(t)} ({t.criterion_id})")
        line, marks = sparkline(t.weeks)
        label = "weekly:  "
        spark = Text(label + line + f"  (weeks from {t.weeks[0].monday.isoformat()}, pass mark "
                     f"{pct(t.pass_mark)})", no_wrap=True)
        parts += [grid, spark]
        if marks:
            parts.append(Text(" " * len(label) + marks, style="magenta", no_wrap=True))
        parts.append(Text(""))
    warnings, flags = _notes(progress)
    for w in warnings:
        parts.append(Text(f"warning: {w}", style="yellow"))
    for f in flags:
        parts.append(Text(f"flag: {f}", style="bold red"))
    if warnings or flags:
        parts.append(Text(""))
    parts += [Text(settings_line(progress), style="dim"), Text(SPARK_LEGEND, style="dim")]
    return Group(*parts)


# -- Markdown and HTML: one template each (render/templates/) ---------------------------
def view(progress: Progress, *, charts: bool = False) -> dict:
    """What both pages show, worded once: the settings, a row per session, the notes, and
    per coached criterion its sparkline (and, for HTML, its SVG chart)."""
    warnings, flags = _notes(progress)
    rows = [{"rep": s.session.rep, "criterion": s.criterion_name, "held_on": s.session.held_on,
             "windows": [{"text": cell(s.windows[k], progress.as_of),
                          "call_ids": s.windows[k].call_ids} for k in WINDOWS],
             "change": change(s), "verdict": s.verdict, "overall": overall(s),
             "css": s.verdict if s.verdict in VERDICT_STYLE else "muted"}
            for s in progress.sessions]
    trends = []
    for t in progress.trends:
        line, marks = sparkline(t.weeks)
        trend = {"title": _title(t), "rep": t.rep, "criterion": t.criterion_name,
                 "first_week": t.weeks[0].monday.isoformat(), "pass_mark": pct(t.pass_mark),
                 "line": line, "marks": marks}
        if charts:
            trend["chart"] = pages.markup(_chart(t))
        trends.append(trend)
    return {"settings": settings_line(progress), "legend": SPARK_LEGEND, "rows": rows,
            "warnings": warnings, "flags": flags, "trends": trends}


def _chart(t: Trend) -> str:
    # the chart's axis is in percent
    points = [Point(w.monday, None if w.score is None else w.score * 100,
                    f"week of {w.monday.isoformat()}: "
                    + ("no scored call" if w.score is None else
                       f"{percent(w.score)} ({plural(w.calls, 'call')})"))
              for w in t.weeks]
    markers = [Marker(d, f"session {d:%b %d}") for d in t.session_days]
    return week_chart(points, title=_title(t), markers=markers, threshold=t.pass_mark * 100)


def to_markdown(progress: Progress) -> str:
    return pages.render("progress.md.j2", view=view(progress))


def to_html(progress: Progress) -> str:
    return pages.render("progress.html.j2", view=view(progress, charts=True))
