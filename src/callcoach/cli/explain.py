"""callcoach explain: why one criterion scored what it did on one call."""
from __future__ import annotations

import json
from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

from callcoach import zones
from callcoach.cli.options import (DbOption, PassMarkOption, RubricIdOption, TzOption,
                                   format_option)
from callcoach.render import formats
from callcoach.fmt import pct, when, where
from callcoach.store import Store

if TYPE_CHECKING:
    from callcoach.scoring.explain import Excerpt, Explanation

NAME = "explain"
FormatOption = format_option(formats.EXPLAIN)


def command(
    call_id: Annotated[str, typer.Argument(help="The call's id, as in the scorecard.",
                                           show_default=False)],
    criterion: Annotated[str, typer.Option("--criterion", "-c", help="The criterion's id or name.",
                                           show_default=False)],
    fmt: FormatOption = "text",
    pass_mark: PassMarkOption = None,
    rubric_id: RubricIdOption = None,
    tz: TzOption = None,
    db: DbOption = None,
) -> int:
    """Why a criterion scored what it did on a call: the result and its reason, every moment
    with two turns of context, the near misses (the best similarity below the threshold, and
    where), and the check's settings. Re-scores the criterion from the stored transcript.

    \b
    Example:
      callcoach explain 20261112-MC-124 --criterion next_step
      callcoach explain 20261112-MC-124 -c "next step" --format json
    """
    # heavy libraries load only when the command runs, not on every callcoach start
    from callcoach.scoring.explain import explain

    with Store(db, must_exist=True) as store:
        explanation = explain(store, call_id, criterion, rubric_id=rubric_id,
                              pass_mark=pass_mark)
    if fmt == "json":
        typer.echo(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_text(explanation, zones.zone(tz)), nl=False)
    return 0


def render_text(e: Explanation, zone: tzinfo | None = None) -> str:
    m, c, r = e.call.meta, e.criterion, e.result
    version = f" v{e.rubric.version}" if e.rubric.version else ""
    flags = f"weight {c.weight:g}" + (", critical" if c.critical else "")
    verdict = "not applicable" if r.score is None else \
        f"{pct(r.score, 1)} ({'pass' if r.passed else 'fail'}; pass mark {pct(e.pass_mark)})"
    started = f"{when(zones.in_zone(m.started_at, zone))} {zones.name_of(zone)}"
    note = f" ({e.rubric_note})" if e.rubric_note else ""
    lines = [f"call {m.call_id} · {m.rep} · {started} · rubric {e.rubric.rubric}{version}{note}",
             f"criterion {c.id}: {c.title} ({flags})"]
    if c.standard:
        lines.append(f"standard: {c.standard}")
    lines += [f"score: {verdict}", f"reason: {r.reason}"]
    if e.stored is not None and (e.stored.score, e.stored.reason) != (r.score, r.reason):
        lines.append(f"stored: {pct(e.stored.score, 1)}, {e.stored.reason} (scored with other "
                     f"settings; re-score to update)")
    lines += ["", f"moments ({len(e.moments)}):"]
    lines += [line for x in e.moments for line in _excerpt(x)] or ["  none"]
    lines += ["", f"near misses ({len(e.near_misses)}):"]
    lines += [line for x in e.near_misses for line in _excerpt(x)] or ["  none"]
    lines += ["", "settings:"]
    import yaml

    settings = yaml.safe_dump(e.settings, sort_keys=False, allow_unicode=True, width=96)
    lines += ["  " + line for line in settings.splitlines()]
    return "\n".join(lines) + "\n"


def _excerpt(x: Excerpt) -> list[str]:
    mo = x.moment
    if mo.kind == "violation" and mo.step:
        label = f"violation · outstanding {mo.step.replace(',', ', ')}"
    elif mo.step and mo.kind in ("match", "near_miss"):
        label = f"{mo.kind} · {mo.step if mo.step in ('before', 'trigger') else 'step ' + mo.step}"
    else:
        label = mo.kind
    sim = f"{mo.similarity:g}" if mo.similarity is not None else "?"
    when = where(mo.start, mo.utterance)
    if mo.kind == "near_miss":
        head = f"  {label}: {mo.note} at {when}: '{x.said}' (phrase '{mo.matched}')"
    elif mo.matched is None and x.said:   # a step done by its form (open_question, opening) or a cue
        how = f"by its form, {x.form}" if x.form else "by its form or a cue"
        head = f"  {label} at {when}: '{x.said}' ({how}, no phrase)"
    elif mo.matched is None:   # an any_turn step, an echo: the whole turn, no phrase
        head = f"  {label} at {when}: the turn (no phrase)"
    else:
        head = f"  {label} at {when}: '{x.said}' matched '{mo.matched}' ({sim})"
    out = [head]
    for pos, u in enumerate(x.context, start=x.first):
        marker = ">" if pos == mo.utterance else " "
        out.append(f"    {marker} {where(u.start, pos):>8}  {u.speaker} ({u.role}): {u.text}")
    return out
