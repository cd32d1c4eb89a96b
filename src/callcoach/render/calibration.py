"""`calibrate` as text (a terminal or a CI log) and as Markdown (a calibration doc).

Both read the same `Report`; numbers are shown as the report computes them (agreement and
fail precision/recall as percentages, kappa to two decimals, n/a where undefined).
"""
from __future__ import annotations

import io

from callcoach.calibration.agreement import Stats
from callcoach.calibration.core import Disagreement, Opinion, Report
from callcoach.calibration.labels import VERDICTS
from callcoach.fmt import pct, shorten, where
from callcoach.render import tables
from callcoach.render.markdown import escape, table
from callcoach.render.tables import Column, print_to

HEADERS = ("criterion", "n", "agreement", "kappa", "fail precision", "fail recall")


def _kappa(k: float | None) -> str:
    return "n/a" if k is None else f"{k:.2f}"


def _row(name: str, s: Stats) -> list[str]:
    return [name, str(s.n), pct(s.agreement, 1), _kappa(s.kappa), pct(s.fail_precision),
            pct(s.fail_recall)]


def _rows(report: Report) -> list[list[str]]:
    return [_row(c, s) for c, s in report.criteria.items()] + [_row("overall", report.overall)]


def _opinion_headers(o: Opinion) -> list[str]:
    return ["criterion", "n", f"{o.reviewer} agrees", "kappa", "callcoach agrees", "kappa"]


def _opinion_rows(o: Opinion) -> list[list[str]]:
    def row(name: str, pair: tuple[Stats, Stats]) -> list[str]:
        other, tool = pair
        return [name, str(other.n), pct(other.agreement, 1), _kappa(other.kappa),
                pct(tool.agreement, 1), _kappa(tool.kappa)]
    return [row(c, p) for c, p in o.criteria.items()] + [row("overall", o.overall)]


def _opinion_title(o: Opinion) -> str:
    return (f"Second opinion: {o.reviewer} ({o.source}) beside the labels, on the "
            f"{o.overall[0].n} judgements both give")


def _opinion_note(o: Opinion) -> str | None:
    if not o.unmatched:
        return None
    verb = "has" if o.unmatched == 1 else "have"
    return (f"{o.unmatched} of its labels {verb} no counterpart among the labels compared, left "
            f"out")


def _title(report: Report) -> str:
    version = f" v{report.rubric.version}" if report.rubric.version else ""
    return (f"Calibration · rubric {report.rubric.rubric}{version} · {report.calls} calls, "
            f"{report.overall.n} labels")


def _verdicts(d: Disagreement) -> str:
    score = "" if d.score is None else f" {pct(d.score)}"
    who = d.label.reviewer or "reviewer"
    return f"{who} {d.label.label}, callcoach {d.verdict}{score}"


def text(report: Report) -> str:
    """The report for a terminal: the agreement table, the overall confusion matrix and every
    disagreement."""
    buf = io.StringIO()
    print_to(buf, tables.table([Column(h, "left" if i == 0 else "right")
                                for i, h in enumerate(HEADERS)], _rows(report)))
    buf.write("\nConfusion, all criteria (rows: reviewer, columns: callcoach)\n")
    print_to(buf, tables.table([Column("reviewer \\ callcoach"),
                                *(Column(v, "right") for v in VERDICTS)],
                               [[h, *(str(report.overall.confusion[h][v]) for v in VERDICTS)]
                                for h in VERDICTS]))
    for o in report.opinions:
        buf.write(f"\n{_opinion_title(o)}\n")
        print_to(buf, tables.table([Column(h, "left" if i == 0 else "right")
                                    for i, h in enumerate(_opinion_headers(o))],
                                   _opinion_rows(o)))
        note = _opinion_note(o)
        if note:
            buf.write(f"({note})\n")
    out = [_title(report), "", *buf.getvalue().splitlines()]
    out += ["", f"Disagreements ({len(report.disagreements)}):"]
    if not report.disagreements:
        out.append("  none")
    for d in report.disagreements:
        out.append(f"  {d.label.call_id} · {d.label.criterion} · {_verdicts(d)}")
        if d.reason:
            out.append(f"    callcoach: {shorten(d.reason, 160)}")
        if not d.evidence:
            out.append("    evidence: none given")
        for e in d.evidence:
            out.append(f"    evidence: \"{shorten(e.evidence.quote, 120)}\"")
            if e.utterance is None:
                out.append(f"      not found in the transcript (closest {e.similarity:.0f}%)")
                continue
            out.append(f"      at {where(e.start, e.utterance)} {e.speaker}: "
                       f"{shorten(e.text or '', 140)}")
            out += [f"      callcoach there: {s}" for s in e.seen]
    if report.unknown:
        out += ["", f"Not compared ({len(report.unknown)}):"]
        out += [f"  line {lab.line}: {why}" for lab, why in report.unknown]
    return "\n".join(out) + "\n"


def markdown(report: Report) -> str:
    out = [f"# {escape(_title(report))}", "",
           table(HEADERS, [[escape(c) for c in r] for r in _rows(report)], "lrrrrr"), "",
           "## Confusion, all criteria", "",
           "Rows: the reviewers' verdicts; columns: callcoach's.", "",
           table(["reviewer \\ callcoach", *VERDICTS],
                 [[h, *(str(report.overall.confusion[h][v]) for v in VERDICTS)]
                  for h in VERDICTS], "lrrr"), ""]
    for o in report.opinions:
        out += [f"## {escape(_opinion_title(o))}", "",
                table([escape(h) for h in _opinion_headers(o)],
                      [[escape(c) for c in r] for r in _opinion_rows(o)], "lrrrrr"), ""]
        note = _opinion_note(o)
        if note:
            out += [escape(note) + ".", ""]
    out += [f"## Disagreements ({len(report.disagreements)})", ""]
    if not report.disagreements:
        out.append("None.")
    for d in report.disagreements:
        out.append(f"- **{escape(d.label.call_id)} · {escape(d.label.criterion)}** — "
                   f"{escape(_verdicts(d))}" + (f": {escape(d.reason)}" if d.reason else ""))
        for e in d.evidence:
            if e.utterance is None:
                out.append(f"  - reviewer: \"{escape(e.evidence.quote)}\" — not found in the "
                           f"transcript")
                continue
            out.append(f"  - reviewer: \"{escape(e.evidence.quote)}\" — at "
                       f"{where(e.start, e.utterance)} {escape(e.speaker or '')}: "
                       f"{escape(shorten(e.text or '', 200))}")
            out += [f"    - callcoach there: {escape(s)}" for s in e.seen]
    if report.unknown:
        out += ["", f"## Not compared ({len(report.unknown)})", ""]
        out += [f"- line {lab.line}: {escape(why)}" for lab, why in report.unknown]
    return "\n".join(out) + "\n"


def _learnt_lines(learnt) -> tuple[list[str], list[str]]:
    """(the summary lines, one line per suggestion)."""
    def agree(s) -> str:
        return "n/a" if s is None else f"{pct(s.agreement, 1)} (kappa {_kappa(s.kappa)})"
    summary = [
        f"learnt from {len(learnt.learning)} calls, {len(learnt.held_out)} held out "
        f"({', '.join(learnt.held_out) or 'none'})",
        f"learning calls: {agree(learnt.learning_before)} -> {agree(learnt.learning_after)}",
        f"held-out calls: {agree(learnt.holdout_before)} -> {agree(learnt.holdout_after)}",
        f"{len(learnt.kept)} of {len(learnt.suggestions)} suggestions kept"]
    rows = []
    for s in learnt.suggestions:
        verdict = f"kept (+{s.gain})" if s.kept else f"not kept: {s.note}"
        rows.append(f"{s.describe()} — from {s.label.call_id}; {verdict}")
    return summary, rows


def learnt_text(learnt) -> str:
    summary, rows = _learnt_lines(learnt)
    return "\n".join(["Suggestions", *("  " + x for x in summary), "",
                      *("  " + shorten(r, 200) for r in rows)]) + "\n"


def learnt_markdown(learnt) -> str:
    summary, rows = _learnt_lines(learnt)
    return "\n".join(["## Suggestions", "", *(f"- {escape(x)}" for x in summary), "",
                      *(f"- {escape(r)}" for r in rows)]) + "\n"


__all__ = ["learnt_markdown", "learnt_text", "markdown", "text"]
