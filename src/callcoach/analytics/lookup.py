"""Resolving the names a user types (a rubric, a rep, a call, a criterion) against the store
and its rubric, with a "did you mean" when they miss. Every command resolves them here. No pandas here: commands that only resolve names
(agenda, session) should not pay for importing it."""
from __future__ import annotations

import json
import logging
import re
from typing import Iterable, NamedTuple

from pydantic import ValidationError

from callcoach import defaults
from callcoach.errors import NotFoundError, StoreError
from callcoach.rubric.model import Criterion, Rubric
from callcoach.store import Store
from callcoach.suggest import did_you_mean, hint, hint_text

# Names people type are often partial ('dana' for 'Dana Ortiz'): guess a little more loosely.
CUTOFF = 0.5
# What a name was taken to mean, when it was not the name itself ("rep 'dana' is Dana Ruiz").
# The CLI prints these on stderr; a notebook sees them only if it configures logging.
log = logging.getLogger("callcoach")


def _words(text: str) -> str:
    """Lower case, `-` and `_` as spaces: 'Next-step' and 'next_step' both read 'next step'."""
    return " ".join(re.sub(r"[-_]+", " ", text).lower().split())


def _unique_prefix(typed: str, names: dict[str, str]) -> list[str]:
    """The values of `names` (spelling -> what it names) whose spelling starts with `typed`,
    or has a word that does, without case: 'dana' or 'ruiz' for 'Dana Ruiz'."""
    wanted = _words(typed)
    if not wanted:
        return []
    hits = {target for spelt, target in names.items()
            if _words(spelt).startswith(wanted) or f" {wanted}" in f" {_words(spelt)}"}
    return sorted(hits)


def _meant(what: str, typed: str, found: str) -> None:
    if typed.strip().lower() != found.lower():
        log.info("%s %r is %s", what, typed, found)


class ScoredRubric(NamedTuple):
    rubric_id: str      # the id the store files the calls under
    rubric: Rubric
    note: str | None = None   # set when it was picked among several: say so in the header


def default_note(others: Iterable[str]) -> str | None:
    """How a report says that its rubric was picked for the user among several: the
    rubric of the most recent scoring run, the others, and how to pick one."""
    others = sorted(others)
    if not others:
        return None
    return (f"the most recent run's; the store also holds {', '.join(others)}: pick with "
            f"--rubric-id or {defaults.ENV['rubric_id']}")


def scored_rubric(store: Store, rubric_id: str | None = None, *,
                  rubric_hash: str | None = None) -> ScoredRubric:
    """The rubric the store's calls were scored with, as the model (`rubric_id` picks one;
    without it and with several in the store, the most recent run's, with a `note`). With
    `rubric_hash`, that exact version when the store still holds it (a call is explained
    with the rubric it was scored with)."""
    stored = store.rubric(rubric_id)
    body = stored.body
    if rubric_hash is not None and rubric_hash != stored.rubric_hash:
        row = next(iter(store.query("SELECT body FROM rubrics WHERE rubric_hash = ?",
                                    (rubric_hash,))), None)
        body = json.loads(row[0]) if row is not None else body
    try:
        return ScoredRubric(stored.rubric_id, Rubric.model_validate(body),
                            default_note(stored.others))
    except ValidationError as e:   # stored by a callcoach that let it through (`weight: 1e999`)
        first = e.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StoreError(f"the rubric {stored.rubric_id!r} stored in {store.path} is not valid "
                         f"any more: {where}: {first['msg']}",
                         hint="fix the rubric and score the calls again with it") from None


def rubric(store: Store, rubric_id: str | None = None) -> Rubric:
    """The rubric the store's calls were scored with, as the model (`--rubric-id` picks one)."""
    return scored_rubric(store, rubric_id).rubric


def reps(store: Store, rubric_id: str) -> list[str]:
    """Every rep with a call scored with `rubric_id`, sorted."""
    return [r[0] for r in store.query(
        "SELECT DISTINCT rep FROM calls WHERE rubric_id = ? ORDER BY rep", (rubric_id,))]


def _same_rep(rep: str, known: list[str]) -> str | None:
    """`rep` as spelt in `known`: exact, else a unique case-insensitive match, else a unique
    case-insensitive prefix of the name or of one of its words (saying which rep was meant).
    Several reps with that prefix: NotFoundError naming them."""
    if rep in known:
        return rep
    same = [k for k in known if k.lower() == rep.strip().lower()]
    if len(same) == 1:
        return same[0]
    starts = _unique_prefix(rep, {k: k for k in known})
    if len(starts) == 1:
        _meant("rep", rep, starts[0])
        return starts[0]
    if len(starts) > 1:
        raise NotFoundError(f"rep {rep!r} could be {', '.join(starts)}", key="rep",
                            hint="type more of the name")
    return None


def resolve_rep(store: Store, rubric_id: str, rep: str) -> str:
    """The rep as stored: exact, else a unique case-insensitive match, else NotFoundError."""
    # The usual case, an exact name, is one index seek; listing every rep scans the index
    # over all of the rubric's calls (13 ms at 100,000 calls).
    if next(iter(store.query("SELECT 1 FROM calls WHERE rubric_id = ? AND rep = ? LIMIT 1",
                             (rubric_id, rep))), None) is not None:
        return rep
    known = reps(store, rubric_id)
    found = _same_rep(rep, known)
    if found is not None:
        return found
    listed = (f"reps in this store: {', '.join(known[:12])}" + (", ..." if len(known) > 12 else "")
              if known else "score some calls first")
    guess = hint(rep, known, cutoff=CUTOFF) or listed
    raise NotFoundError(f"no calls by rep {rep!r} scored with rubric {rubric_id!r}", key="rep",
                        hint=guess)


def resolve_criterion(rubric: Rubric, text: str) -> Criterion:
    """A criterion by id or by name (case-insensitive; `-`, `_` and spaces alike), else by a
    unique prefix of either ('next step' for next_step, 'objection' for 'Objection handling
    (LAER)'), saying which was meant; else NotFoundError with suggestions."""
    wanted = text.strip().lower()
    for c in rubric.criteria:
        if c.id == text or c.id.lower() == wanted or (c.name or "").lower() == wanted:
            return c
    by_id = {c.id: c for c in rubric.criteria}
    for c in rubric.criteria:
        if _words(text) in (_words(c.id), _words(c.name or "")):
            _meant("criterion", text, f"{c.id} ({c.title})")
            return c
    spellings = {c.id: c.id for c in rubric.criteria}
    spellings.update({c.name: c.id for c in rubric.criteria if c.name})
    starts = _unique_prefix(text, spellings)
    if len(starts) == 1:
        c = by_id[starts[0]]
        _meant("criterion", text, f"{c.id} ({c.title})")
        return c
    if len(starts) > 1:
        raise NotFoundError(f"criterion {text!r} could be {', '.join(starts)}", key="criterion",
                            hint="type more of its id or name")
    # Match against ids and names, but suggest each criterion once, by its id.
    by_text = {c.id.lower(): c.id for c in rubric.criteria}
    by_text.update({c.name.lower(): c.id for c in rubric.criteria if c.name})
    close = did_you_mean(wanted, by_text, n=5, cutoff=CUTOFF)
    ids = list(dict.fromkeys(by_text[t] for t in close))[:3]
    raise NotFoundError(f"no criterion {text!r} in rubric {rubric.rubric!r}", key="criterion",
                        hint=hint_text(ids) or f"criteria in {rubric.rubric}: "
                        + ", ".join(c.id for c in rubric.criteria))


def resolve_coached_rep(store: Store, rep: str, rubric_id: str | None = None) -> str:
    """Like `resolve_rep`, among reps with scored calls (under any rubric unless `rubric_id`)
    or logged sessions: progress reads a rep who was coached before any call was scored."""
    known = {r for (r,) in store.query("SELECT DISTINCT rep FROM sessions")}
    rubric_ids = [rubric_id] if rubric_id else \
        [r for (r,) in store.query("SELECT DISTINCT rubric_id FROM calls")]
    for rid in rubric_ids:
        known.update(reps(store, rid))
    found = _same_rep(rep, sorted(known))
    if found is not None:
        return found
    raise NotFoundError(f"no calls or sessions for rep {rep!r}", key="rep",
                        hint=hint(rep, known, cutoff=CUTOFF)
                        or f"known reps: {', '.join(sorted(known)) or 'none'}")


def call_rubric_id(store: Store, call_id: str,
                   rubric_id: str | None = None) -> tuple[str, str | None]:
    """(the rubric a stored call was scored with, the note to show when it was picked among
    several): `rubric_id` picks one; else the only one, or the most recent run's."""
    scored = call_rubric_ids(store, call_id, rubric_id)
    if len(scored) == 1:
        return scored[0], None
    latest = store.latest_run_rubric(scored)
    if latest is None:   # scored before runs were recorded
        raise NotFoundError(f"call {call_id!r} was scored with several rubrics: "
                            f"{', '.join(scored)}",
                            hint=f"pick one with --rubric-id or {defaults.ENV['rubric_id']}")
    return latest, default_note(r for r in scored if r != latest)


def call_rubric_ids(store: Store, call_id: str, rubric_id: str | None = None) -> list[str]:
    """The rubrics a stored call was scored with (only `rubric_id`, when given), else
    NotFoundError with a "did you mean" among the stored calls."""
    scored = [r[0] for r in store.query(
        "SELECT rubric_id FROM calls WHERE call_id = ? ORDER BY rubric_id", (call_id,))]
    if rubric_id is not None:
        scored = [r for r in scored if r == rubric_id]
    if scored:
        return scored
    ids = [r[0] for r in store.query(
        "SELECT DISTINCT call_id FROM calls" + (" WHERE rubric_id = ?" if rubric_id else ""),
        (rubric_id,) if rubric_id else ())]
    where = f" scored with rubric {rubric_id!r}" if rubric_id else ""
    raise NotFoundError(f"no call {call_id!r}{where} in {store.path}",
                        hint=hint(call_id, ids) or "list calls with: callcoach scorecard")
