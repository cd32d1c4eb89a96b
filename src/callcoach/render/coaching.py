"""Writers for scorecard, select, queue and evidence in every format they offer.

Each `write_*` takes what analytics returned, a format name and a stream; the CLI calls one
of them. JSON is the objects' `to_dict()` (documented in docs/coaching.md), indented, keys
in a fixed order; text and Markdown are for people.
"""
from __future__ import annotations

import json
from typing import TextIO

from rich.table import Table
from rich.text import Text

from callcoach.analytics.evidence import EvidencePack
from callcoach.analytics.queue import Queue
from callcoach.analytics.rules import window_label
from callcoach.analytics.scorecard import TEAM, Cell, Scorecard
from callcoach.analytics.selection import ChosenCall, Selection
from callcoach.fmt import pct, rubric_label, when, where
from callcoach.render import markdown as md
from callcoach.render.tables import (NOT_APPLICABLE, Column, console_width, fail_legend, fits,
                                     numbered, print_to, score_text, table, widths)
from callcoach.sanitize import CSVWriter

MAX_CALL_COLUMNS = 12   # the rep view shows the latest calls; --format json/csv has them all


def write_json(data: dict, out: TextIO) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


# -- scorecard ---------------------------------------------------------------------------
def _scorecard_heading(sc: Scorecard) -> str:
    who = f"{sc.rep} · " if sc.rep else ""
    return (f"Scorecard · {who}{rubric_label(sc.rubric_id, sc.rubric_note)} · "
            f"{window_label(sc.as_of, sc.days)} · "
            f"pass mark {pct(sc.pass_mark)}")


def write_scorecard(sc: Scorecard, fmt: str, out: TextIO, *, color: bool = False,
                    raw: bool = False) -> None:
    if fmt == "json":
        write_json(sc.to_dict(), out)
    elif fmt == "csv":
        _scorecard_csv(sc, out, raw)
    elif fmt == "markdown":
        out.write(scorecard_markdown(sc) + "\n")
    else:
        grid, names = (rep_scorecard_table(sc, color), "") if sc.rep else \
            scorecard_table(sc, color, console_width(out, color))
        if sc.rep:
            hidden = len(sc.calls) - min(len(sc.calls), MAX_CALL_COLUMNS)
            legend = (f"cells: criterion score per call · trend: against the {sc.days} days "
                      f"before · {fail_legend(color)} · {NOT_APPLICABLE}: not applicable"
                      + (f" · showing the latest {MAX_CALL_COLUMNS} of {len(sc.calls)} calls "
                         f"(all in --format json/csv)" if hidden else ""))
        else:
            legend = (f"cells: mean criterion score (failed/scored calls) · overall: mean call "
                      f"score, context only · {fail_legend(color)} · {NOT_APPLICABLE}: "
                      f"not applicable")
        if not sc.rows or not sc.rows[0].calls:
            print_to(out, Text(_scorecard_heading(sc)), Text("no calls in the window"),
                     color=color)
            return
        print_to(out, Text(_scorecard_heading(sc)), grid, *([Text(names)] if names else []),
                 Text(legend), color=color)


def cell_text(cell: Cell, pass_mark: float, color: bool) -> Text:
    """'58% (4/8 fail)': mean criterion score, then failed / scored calls."""
    if cell.mean is None:
        return Text(NOT_APPLICABLE, style="dim")
    text = score_text(cell.mean, pass_mark, color=color)
    text.append(f" ({cell.failures}/{cell.scored} fail)", style="dim")
    return text


def scorecard_table(sc: Scorecard, color: bool, room: int) -> tuple[Table, str]:
    """Team view: reps x criteria and the team row; criteria numbered (and named in the
    returned legend) when their names do not fit in `room` columns."""
    columns = [Column("rep"), Column("calls", "right"), Column("overall", "right")]
    columns += [Column(c.name, "right") for c in sc.criteria]
    rows = []
    for row in list(sc.rows) + ([sc.team] if sc.team else []):
        overall = NOT_APPLICABLE if row.overall is None else f"{row.overall:.1f}"
        rows.append([Text(row.label, style="bold" if row is sc.team else ""), str(row.calls),
                     overall, *[cell_text(row.cells[c.id], sc.pass_mark, color)
                                for c in sc.criteria]])
    names = ""
    if not fits(widths(columns, rows), room):
        columns, names = numbered(columns, 3)
    return table(columns, rows), names


def rep_scorecard_table(sc: Scorecard, color: bool) -> Table:
    """Rep view: criteria x the rep's calls (the latest MAX_CALL_COLUMNS), mean, failures,
    trend."""
    row = sc.rows[0]
    shown = sc.calls[-MAX_CALL_COLUMNS:]
    columns = [Column("criterion"), Column("mean", "right"), Column("failed", "right"),
               Column("trend", "right")]
    columns += [Column(f"{call.started_at:%m-%d}\n{call.call_id}", "right") for call in shown]
    rows = []
    for c in sc.criteria:
        cell = row.cells[c.id]
        failed = f"{cell.failures}/{cell.scored}" if cell.scored else NOT_APPLICABLE
        rows.append([c.name, score_text(cell.mean, sc.pass_mark, color=color), failed,
                     sc.trends[c.id].label(),
                     *[score_text(call.scores[c.id], sc.pass_mark, color=color)
                       for call in shown]])
    return table(columns, rows)


def _scorecard_csv(sc: Scorecard, out: TextIO, raw: bool) -> None:
    w = CSVWriter(out, raw=raw)
    if sc.rep is None:
        # Long form, one row per rep x criterion (and the team), for BI tools.
        w.writerow(["rep", "criterion_id", "criterion", "mean", "scored", "failures",
                    "failure_rate", "calls"])
        for row in list(sc.rows) + ([sc.team] if sc.team else []):
            for c in sc.criteria:
                cell = row.cells[c.id]
                w.writerow([row.label, c.id, c.name, _num(cell.mean), cell.scored,
                            cell.failures, _num(cell.failure_rate), row.calls])
        return
    # Rep view: the table's shape, criteria x calls, every call.
    w.writerow(["criterion_id", "criterion", "mean", "scored", "failures", "failure_rate",
                "previous_mean", "trend_points", *[c.call_id for c in sc.calls]])
    row = sc.rows[0]
    for c in sc.criteria:
        cell, trend = row.cells[c.id], sc.trends[c.id]
        w.writerow([c.id, c.name, _num(cell.mean), cell.scored, cell.failures,
                    _num(cell.failure_rate), _num(trend.previous),
                    "" if trend.points is None else trend.points,
                    *[_num(call.scores[c.id]) for call in sc.calls]])


def _md_score(value: float | None, pass_mark: float) -> str:
    if value is None:
        return NOT_APPLICABLE
    return md.bold(pct(value)) if value < pass_mark else pct(value)


def scorecard_markdown(sc: Scorecard) -> str:
    # names and ids are data (a rep named `[x](javascript:…)`): escaped, never markup
    lines = [f"## {md.escape(_scorecard_heading(sc))}", ""]
    if sc.rep is None:
        headers = ["rep", "calls", "overall", *[md.escape(c.name) for c in sc.criteria]]
        rows = []
        for row in list(sc.rows) + ([sc.team] if sc.team else []):
            label = md.bold(row.label) if row.label == TEAM and row is sc.team else \
                md.escape(row.label)
            cells = []
            for c in sc.criteria:
                cell = row.cells[c.id]
                cells.append(NOT_APPLICABLE if cell.mean is None else
                             f"{_md_score(cell.mean, sc.pass_mark)} "
                             f"({cell.failures}/{cell.scored} fail)")
            rows.append([label, str(row.calls),
                         NOT_APPLICABLE if row.overall is None else f"{row.overall:.1f}", *cells])
        lines.append(md.table(headers, rows, "lrr" + "r" * len(sc.criteria)))
        lines += ["", f"Cells: mean criterion score (failed/scored calls); **bold**: below the "
                      f"pass mark; overall is context only."]
        return "\n".join(lines)
    row = sc.rows[0]
    headers = ["criterion", "mean", "failed", "trend",
               *[f"{c.started_at:%m-%d} {md.escape(c.call_id)}" for c in sc.calls]]
    rows = []
    for c in sc.criteria:
        cell = row.cells[c.id]
        rows.append([md.escape(c.name), _md_score(cell.mean, sc.pass_mark),
                     f"{cell.failures}/{cell.scored}" if cell.scored else NOT_APPLICABLE,
                     sc.trends[c.id].label(),
                     *[_md_score(call.scores[c.id], sc.pass_mark) for call in sc.calls]])
    lines.append(md.table(headers, rows, "lrrr" + "r" * len(sc.calls)))
    lines += ["", f"Trend: against the {sc.days} days before; **bold**: below the pass mark."]
    return "\n".join(lines)


# -- select ------------------------------------------------------------------------------
def write_selection(s: Selection, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        write_json(s.to_dict(), out)
    else:
        out.write(selection_text(s))


def _call_line(i: int, c: ChosenCall) -> str:
    bits = [c.call_id, when(c.started_at)]
    bits += [b for b in (c.call_type, c.account) if b]
    fresh = " · fresh" if c.fresh else ""
    return f"{i}. {' · '.join(bits)} — scored {pct(c.score)}{fresh}"


def _moment_line(m) -> str:
    sim = f" (similarity {m.similarity:.0f})" if m.similarity is not None and m.similarity < 100 \
        else ""
    return f"{where(m.start, m.utterance):>7}  {m.speaker} ({m.role}) [{m.kind}]: {m.text}{sim}"


def selection_text(s: Selection, max_moments: int = 5) -> str:
    head = (f"{s.rep} · {rubric_label(s.rubric_id, s.rubric_note)} · "
            f"{window_label(s.as_of, s.days)} · "
            f"pass mark {pct(s.pass_mark)}")
    lines = [head, ""]
    if s.criterion_id is None:
        lines.append(s.message[0].upper() + s.message[1:] + ".")
    else:
        lines.append(f"Coach on: {s.criterion_name} ({s.criterion_id})")
        if s.standard:
            lines.append(f"Standard: {s.standard}")
        lines.append(f"Score: {pct(s.criterion_mean)} over the last {s.days} days, "
                     f"{s.calls_applicable} call{'s' if s.calls_applicable != 1 else ''} "
                     f"counted" + (f" ({s.calls_in_window - s.calls_applicable} not applicable)"
                                   if s.calls_applicable < s.calls_in_window else ""))
        lines.append(f"Why: {s.message}.")
        if s.fresh:
            lines.append(f"Fresh: {s.fresh_failures} failed call"
                         f"{'s' if s.fresh_failures != 1 else ''} within the last "
                         f"{s.fresh_hours} hours — coach soon.")
        lines += ["", f"Calls to review ({len(s.chosen)}), chosen by the evidence, not recency:"]
        for i, c in enumerate(s.chosen, 1):
            lines.append(_call_line(i, c))
            lines.append(f"   {c.reason}")
            for m in c.moments[:max_moments]:
                lines.append("   " + _moment_line(m))
            if len(c.moments) > max_moments:
                lines.append(f"   … {len(c.moments) - max_moments} more moments "
                             f"(--format json has them all)")
    means = [f"{cid} {pct(v)}" for cid, v in s.criteria_means.items()]
    if s.calls_in_window:
        lines += ["", f"All criteria, mean over {s.calls_in_window} call"
                      f"{'s' if s.calls_in_window != 1 else ''}: " + " · ".join(means)]
    return "\n".join(lines) + "\n"


# -- queue -------------------------------------------------------------------------------
def _queue_heading(q: Queue) -> str:
    return (f"Coaching queue · {rubric_label(q.rubric_id, q.rubric_note)} · "
            f"{window_label(q.as_of, q.days)} · "
            f"fresh = a failed call within {q.fresh_hours} h")


def _waiting_lines(q: Queue, escape=str) -> list[str]:
    return [f"- {escape(s.rep)}: {escape(s.message)}" for s in q.waiting]


def write_queue(q: Queue, fmt: str, out: TextIO, *, color: bool = False) -> None:
    if fmt == "json":
        write_json(q.to_dict(), out)
    elif fmt == "markdown":
        out.write(queue_markdown(q) + "\n")
    else:
        parts = [Text(_queue_heading(q))]
        if q.to_coach:
            parts.append(queue_table(q, color))
        else:
            parts.append(Text("Nobody to coach in this window."))
        if q.waiting:
            parts.append(Text("\nNothing to pick yet:"))
            parts += [Text(line) for line in _waiting_lines(q)]
        print_to(out, *parts, color=color)


def ago(hours: float | None) -> str:
    """'17 h ago' up to two days, then '5 d ago'."""
    if hours is None:
        return ""
    return f"{hours:.0f} h ago" if hours <= 48 else f"{hours / 24:.0f} d ago"


def _pattern(s) -> str:
    return ("first occurrence" if s.status == "first_occurrence" else
            "confirmed" if s.pattern_confirmed else f"{s.failures} of {s.confirm_calls}")


def queue_table(q: Queue, color: bool):
    """Reps with something to coach, most urgent first."""
    columns = [Column("#", "right"), Column("rep"), Column("criterion"), Column("mean", "right"),
               Column("failed", "right"), Column("pattern"), Column("fresh"),
               Column("review", "right")]
    rows = []
    for i, s in enumerate(q.to_coach, 1):
        hours = ago(q.hours_since_failure(s))
        fresh = Text(f"yes · {hours}", style="bold") if s.fresh else \
            Text(f"no · {hours}", style="dim")
        rows.append([str(i), s.rep, s.criterion_name,
                     score_text(s.criterion_mean, s.pass_mark, color=color),
                     f"{s.failures}/{s.calls_applicable} ({pct(s.failure_rate)})", _pattern(s),
                     fresh, str(len(s.chosen))])
    return table(columns, rows)


def queue_markdown(q: Queue) -> str:
    lines = [f"## {md.escape(_queue_heading(q))}", ""]
    if q.to_coach:
        rows = []
        for i, s in enumerate(q.to_coach, 1):
            hours = ago(q.hours_since_failure(s))
            fresh = f"**yes** ({hours})" if s.fresh else f"no ({hours})"
            rows.append([str(i), md.escape(s.rep), md.escape(s.criterion_name),
                         _md_score(s.criterion_mean, s.pass_mark),
                         f"{s.failures}/{s.calls_applicable} ({pct(s.failure_rate)})", _pattern(s),
                         fresh, ", ".join(md.escape(c.call_id) for c in s.chosen)])
        lines.append(md.table(["#", "rep", "criterion", "mean", "failed", "pattern", "fresh",
                               "calls to review"], rows, "rllrrlll"))
    else:
        lines.append("Nobody to coach in this window.")
    if q.waiting:
        lines += ["", "Nothing to pick yet:", ""] + _waiting_lines(q, md.escape)
    return "\n".join(lines)


# -- evidence ----------------------------------------------------------------------------
def write_evidence(pack: EvidencePack, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        write_json(pack.to_dict(), out)
    elif fmt == "text":
        out.write(evidence_text(pack))
    else:
        out.write(evidence_markdown(pack) + "\n")


def _pack_heading(p: EvidencePack) -> str:
    rubric = f" · {rubric_label(p.rubric_id, p.rubric_note)}" if p.rubric_note else ""
    return f"{p.rep} · {p.criterion_name}{rubric} · {window_label(p.as_of, p.days)}"


def evidence_markdown(p: EvidencePack) -> str:
    lines = [f"## Evidence: {md.escape(_pack_heading(p))}", ""]
    if p.standard:
        lines.append(f"**Standard:** {md.escape(p.standard)}  ")
    lines.append(f"**Score:** {pct(p.criterion_mean)} over {p.calls_applicable} calls "
                 f"(pass mark {pct(p.pass_mark)})  ")
    lines += [f"**{md.escape(p.message)}.**", ""]
    for i, item in enumerate(p.items, 1):
        c = item.call
        bits = " · ".join(md.escape(b) for b in (when(c.started_at), c.call_type, c.account) if b)
        lines += [f"### {i}. {md.escape(c.call_id)} · {bits} — {pct(c.score)}", "",
                  f"*{md.escape(c.reason)}*", ""]
        if item.excerpts:
            for e in item.excerpts:
                if e.note:
                    lines += [f"No moment matched; {md.escape(e.note)}:", ""]
                lines += [md.excerpt(e.utterances, e.moments), ""]
        elif c.moments:
            lines += [f"- {md.moment(m)}" for m in c.moments] + [""]
        else:
            lines += ["No moment stored for this call: the reason above is the evidence.", ""]
    return "\n".join(lines).rstrip("\n")


def evidence_text(p: EvidencePack) -> str:
    lines = [f"Evidence: {_pack_heading(p)}"]
    if p.standard:
        lines.append(f"Standard: {p.standard}")
    lines.append(f"Score: {pct(p.criterion_mean)} over {p.calls_applicable} calls "
                 f"(pass mark {pct(p.pass_mark)})")
    lines.append(p.message[0].upper() + p.message[1:] + ".")
    for i, item in enumerate(p.items, 1):
        c = item.call
        lines += ["", _call_line(i, c), f"   {c.reason}"]
        for e in item.excerpts:
            lines.append("")
            if e.note:
                lines.append(f"   No moment matched; {e.note}:")
            for u in e.utterances:
                mark = "▶" if u.index in e.moments else " "
                lines.append(f" {mark} {where(u.start, u.index):>7}  {u.speaker} ({u.role}): "
                             f"{u.text}")
        if not item.excerpts:
            lines += ["   " + _moment_line(m) for m in c.moments]
    return "\n".join(lines) + "\n"
