"""Check types by name. A new check type is one module plus one line here: its rubric model
(`MODEL`, built from rubric/fields.py), and the functions of `CheckType` — `parts` and
`evaluate` for scoring, `looks_for` and `smells` for `rubric show` and `lint`, and `gap`,
`questions` and `exemplar` for the agenda's coaching narrative."""
from callcoach.scoring.checks import forbidden, phrase, response, sequence
from callcoach.scoring.checks.base import CheckType, Part

CHECKS: dict[str, CheckType] = {
    "phrase": phrase,
    "forbidden": forbidden,
    "sequence": sequence,
    "response": response,
}

__all__ = ["CHECKS", "CheckType", "Part"]
