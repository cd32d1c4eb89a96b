"""Compile a rubric once per process: every phrase list of every check becomes one matcher
group, and each method gets ONE matcher over all its groups. Scoring a call is then one
normalisation and one scan per method, whatever the number of criteria.

Compiling is cheap (milliseconds), so a worker process rebuilds it from the `Rubric` rather
than receiving a pickled automaton.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from callcoach.errors import RubricError
from callcoach.matching import MATCHERS, Matcher, PhraseGroup
from callcoach.rubric.model import Rubric
from callcoach.scoring.checks import CHECKS

# A check's `speaker` -> the utterance roles its groups scan (None: every utterance).
ROLES: dict[str, frozenset[str] | None] = {
    "rep": frozenset({"rep"}), "prospect": frozenset({"prospect"}), "any": None}


@dataclass(slots=True)
class CompiledRubric:
    rubric: Rubric
    rubric_id: str
    version: str | None
    hash: str
    pass_mark: float
    groups: dict[str, PhraseGroup] = field(default_factory=dict)   # key -> group
    methods: dict[str, str] = field(default_factory=dict)          # key -> method
    matchers: dict[str, Matcher] = field(default_factory=dict)     # method -> matcher

    def matcher(self, key: str) -> Matcher:
        """The matcher that scans group `key`."""
        return self.matchers[self.methods[key]]

    def threshold(self, key: str) -> float:
        """The similarity a group's match needs, as its matcher applies it."""
        return self.matcher(key).threshold(key)


def compile_rubric(rubric: Rubric, *, pass_mark: float | None = None) -> CompiledRubric:
    """Build the matchers for every criterion of `rubric`.

    >>> from callcoach.rubric.model import Rubric
    >>> r = Rubric.model_validate({"rubric": "demo", "criteria": [{"id": "greeting", "check": {
    ...     "type": "phrase", "method": "verbatim", "phrases": ["hello"]}}]})
    >>> sorted(compile_rubric(r).groups)
    ['greeting/phrases']
    """
    compiled = CompiledRubric(rubric, rubric.rubric, rubric.version, rubric.content_hash,
                              rubric.pass_mark if pass_mark is None else pass_mark)
    by_method: dict[str, list[PhraseGroup]] = {}
    for criterion in rubric.criteria:
        for part in CHECKS[criterion.check.type].parts(criterion.check):
            if part.method not in MATCHERS:
                raise RubricError(f"criterion {criterion.id}: unknown method {part.method!r}",
                                  key=f"criteria.{criterion.id}.check.method",
                                  hint=f"use one of: {', '.join(sorted(MATCHERS))}")
            key = f"{criterion.id}/{part.name}"
            group = PhraseGroup(key, part.phrases, part.threshold, ROLES[part.speaker])
            compiled.groups[key] = group
            compiled.methods[key] = part.method
            by_method.setdefault(part.method, []).append(group)
    compiled.matchers = {method: MATCHERS[method](groups)
                         for method, groups in sorted(by_method.items())}
    return compiled
