"""Resolving the names a user types (a rep, a criterion) against the store and its rubric,
with a "did you mean" when they miss. No pandas here: commands that only resolve names
(agenda, session) should not pay for importing it."""
from __future__ import annotations

from callcoach.errors import NotFoundError
from callcoach.rubric.model import Criterion, Rubric
from callcoach.store import Store
from callcoach.suggest import did_you_mean, hint, hint_text

# Names people type are often partial ('dana' for 'Dana Ortiz'): guess a little more loosely.
CUTOFF = 0.5


def rubric(store: Store, rubric_id: str | None = None) -> Rubric:
    """The rubric the store's calls were scored with, as the model (`--rubric-id` picks one)."""
    return Rubric.model_validate(store.rubric(rubric_id).body)


def reps(store: Store, rubric_id: str) -> list[str]:
    """Every rep with a call scored with `rubric_id`, sorted."""
    return [r[0] for r in store.query(
        "SELECT DISTINCT rep FROM calls WHERE rubric_id = ? ORDER BY rep", (rubric_id,))]


def resolve_rep(store: Store, rubric_id: str, rep: str) -> str:
    """The rep as stored: exact, else a unique case-insensitive match, else NotFoundError."""
    known = reps(store, rubric_id)
    if rep in known:
        return rep
    same = [k for k in known if k.lower() == rep.strip().lower()]
    if len(same) == 1:
        return same[0]
    listed = (f"reps in this store: {', '.join(known[:12])}" + (", ..." if len(known) > 12 else "")
              if known else "score some calls first")
    guess = hint(rep, known, cutoff=CUTOFF) or listed
    raise NotFoundError(f"no calls by rep {rep!r} scored with rubric {rubric_id!r}", key="rep",
                        hint=guess)


def resolve_criterion(rubric: Rubric, text: str) -> Criterion:
    """A criterion by id, or by name (case-insensitive), else NotFoundError with suggestions."""
    wanted = text.strip().lower()
    for c in rubric.criteria:
        if c.id == text or c.id.lower() == wanted or (c.name or "").lower() == wanted:
            return c
    # Match against ids and names, but suggest each criterion once, by its id.
    by_text = {c.id.lower(): c.id for c in rubric.criteria}
    by_text.update({c.name.lower(): c.id for c in rubric.criteria if c.name})
    close = did_you_mean(wanted, by_text, n=5, cutoff=CUTOFF)
    ids = list(dict.fromkeys(by_text[t] for t in close))[:3]
    raise NotFoundError(f"no criterion {text!r} in rubric {rubric.rubric!r}", key="criterion",
                        hint=hint_text(ids) or f"criteria in {rubric.rubric}: "
                        + ", ".join(c.id for c in rubric.criteria))
