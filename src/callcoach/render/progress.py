"""Coaching progress as a terminal table (with weekly sparklines), Markdown, self-contained
HTML (with an inline SVG chart per coached criterion) or JSON (`Progress.to_dict()`, the
contract documented in docs/progress.md).
"""
from __future__ import annotations

import html
import json
from datetime import datetime, time

from rich.console import Group
from rich.text import Text

from callcoach.analytics.progress import (DECLINING, FLAT, IMPROVING, WINDOWS, Progress,
                                          SessionProgress, Trend, Week, Window)
from callcoach.render import markdown
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
    """A bare-date --as-of (end of day) reads as the date."""
    if as_of.time() == time(23, 59, 59):
        return as_of.date().isoformat()
    return as_of.isoformat(sep=" ", timespec="minutes")


def cell(window: Window, as_of: datetime) -> str:
    """'55% (2)': the window's score and its scored calls; '…' while the window is open."""
    if as_of < datetime.combine(window.first_day, time.min):
        return "not yet"
    score = "–" if window.score is None else f"{window.score:.0f}%"
    return f"{score} ({len(window.call_ids)})" + ("" if window.ended else "…")


def change(s: SessionProgress) -> str:
    return "" if s.change is None else f"{s.change:+.1f}"


def overall(s: SessionProgress) -> str:
    """The overall score before -> in the verdict's window: context, never the verdict."""
    if s.verdict_window is None:
        return ""
    before, after = s.windows["baseline"].overall, s.windows[s.verdict_window].overall
    if before is None or after is None:
        return "n/a"
    return f"{before:.0f} → {after:.0f}"


def settings_line(progress: Progress) -> str:
    st = progress.settings
    return (f"As of {when(progress.as_of)}. Before = the {st.baseline_days} days before the "
            f"session; weeks 1-2 = days 1-{st.window_days} after it, weeks 3-4 = days "
            f"{st.window_days + 1}-{2 * st.window_days}. Scores are the coached criterion's "
            f"mean (scored calls in brackets; … = window still open). Movement = "
            f"±{st.moved:g} pts; a window needs {st.min_calls} scored calls.")


def sparkline(weeks: list[Week]) -> tuple[str, str]:
    """One character per week (▁ 0% … █ 100%, · no scored call) and, under it, ▲ for each
    week with a session."""
    line = "".join(NO_CALLS if w.score is None else BLOCKS[min(7, int(w.score * 8 // 100))]
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
                     f"{t.pass_mark:g}%)", no_wrap=True)
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


# -- markdown -----------------------------------------------------------------------------
def to_markdown(progress: Progress) -> str:
    out = ["# Coaching progress", "", settings_line(progress), ""]
    if not progress.sessions:
        return "\n".join(out + ["No coaching sessions logged yet.", ""])
    out += ["| Rep | Criterion | Session | Before | Weeks 1-2 | Weeks 3-4 | Change | Verdict "
            "| Overall (context) |",
            "|---|---|---|---|---|---|---:|---|---|"]
    for s in progress.sessions:
        cells = [markdown.escape(s.session.rep), markdown.escape(s.criterion_name),
                 s.session.held_on,
                 *(cell(s.windows[k], progress.as_of) for k in WINDOWS),
                 change(s), f"**{s.verdict}**", overall(s)]
        out.append("| " + " | ".join(markdown.cell(c) for c in cells) + " |")
    warnings, flags = _notes(progress)
    if warnings:
        out += ["", "**Warnings**", ""] + [f"- {markdown.escape(w)}" for w in warnings]
    if flags:
        out += ["", "**Change the intervention**", ""] + [f"- {markdown.escape(f)}"
                                                          for f in flags]
    out += ["", "## Weekly score of each coached criterion", "", SPARK_LEGEND]
    for t in progress.trends:
        line, marks = sparkline(t.weeks)
        out += ["", f"**{markdown.escape(_title(t))}** — weeks from "
                    f"{t.weeks[0].monday.isoformat()}, pass mark {t.pass_mark:g}%", "", "```",
                line]
        out += [marks] if marks else []
        out += ["```"]
    return "\n".join(out) + "\n"


# -- html ---------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;max-width:60rem;
margin:2rem auto;padding:0 1rem;line-height:1.45}h1{font-size:1.5rem;margin-bottom:.25rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.meta{color:#59636e;margin-top:0}table{border-collapse:collapse;font-size:.9rem}
th,td{padding:.3rem .6rem;border-bottom:1px solid #d0d7de;text-align:left;
font-variant-numeric:tabular-nums}td.num{text-align:right}th,td.nw{white-space:nowrap}
.improving{color:#1a7f37;font-weight:600}.declining{color:#cf222e;font-weight:600}
.flat{color:#9a6700;font-weight:600}.muted{color:#59636e}
.warning{background:#fff8c5;border-left:3px solid #bf8700;padding:.4rem .75rem;margin:.5rem 0}
.flag{background:#ffebe9;border-left:3px solid #cf222e;padding:.4rem .75rem;margin:.5rem 0}
figure{margin:1.25rem 0}figcaption{color:#59636e;font-size:.85rem}
@media print{body{margin:0}}
""".strip()


def to_html(progress: Progress) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           "<title>Coaching progress</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           "<h1>Coaching progress</h1>", f'<p class="meta">{e(settings_line(progress))}</p>']
    if not progress.sessions:
        out.append("<p>No coaching sessions logged yet.</p>")
    else:
        out.append("<table><thead><tr>" + "".join(
            f"<th>{h}</th>" for h in ("Rep", "Criterion", "Session", "Before", "Weeks 1-2",
                                      "Weeks 3-4", "Change", "Verdict", "Overall (context)"))
            + "</tr></thead><tbody>")
        for s in progress.sessions:
            windows = "".join(f'<td class="nw" title="{e(", ".join(s.windows[k].call_ids))}">'
                              f"{e(cell(s.windows[k], progress.as_of))}</td>"
                              for k in WINDOWS)
            css = s.verdict if s.verdict in VERDICT_STYLE else "muted"
            out.append(f"<tr><td>{e(s.session.rep)}</td><td>{e(s.criterion_name)}</td>"
                       f'<td class="nw">{e(s.session.held_on)}</td>{windows}'
                       f'<td class="num">{e(change(s))}</td>'
                       f'<td class="{css} nw">{e(s.verdict)}</td>'
                       f'<td class="nw">{e(overall(s))}</td></tr>')
        out.append("</tbody></table>")
    warnings, flags = _notes(progress)
    out += [f'<p class="warning">{e(w)}</p>' for w in warnings]
    out += [f'<p class="flag">{e(f)}</p>' for f in flags]
    if progress.trends:
        out.append("<h2>Weekly score of each coached criterion</h2>")
    for t in progress.trends:
        points = [Point(w.monday, w.score,
                        f"week of {w.monday.isoformat()}: "
                        + ("no scored call" if w.score is None else
                           f"{w.score:.0f}% ({w.calls} call{'s' if w.calls != 1 else ''})"))
                  for w in t.weeks]
        markers = [Marker(d, f"session {d:%b %d}") for d in t.session_days]
        svg = week_chart(points, title=_title(t), markers=markers, threshold=t.pass_mark)
        out.append(f"<figure>{svg}<figcaption>Weekly mean of {e(t.criterion_name)} for "
                   f"{e(t.rep)}; dashed purple lines are sessions, the dashed amber line the "
                   f"pass mark. Weeks without a scored call are left blank.</figcaption>"
                   f"</figure>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
