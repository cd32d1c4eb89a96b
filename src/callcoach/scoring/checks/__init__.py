"""Check types by name. A new check type is one module with the functions of `CheckType`
(`parts` and `evaluate` for scoring; `gap`, `questions` and `exemplar` for the agenda's
coaching narrative), plus one line here (and its model in rubric/model.py)."""
from callcoach.scoring.checks import forbidden, phrase, response, sequence
from callcoach.scoring.checks.base import CheckType, Part

CHECKS: dict[str, CheckType] = {
    "phrase": phrase,
    "forbidden": forbidden,
    "sequence": sequence,
    "response": response,
}

__all__ = ["CHECKS", "CheckType", "Part"]
