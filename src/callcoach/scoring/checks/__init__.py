"""Check types by name. A new check type is one module plus one line here: its rubric model
(`MODEL`, built from rubric/fields.py) and what `CheckType` lists — `parts` and `evaluate`
for scoring; `looks_for`, `smells` and `EXAMPLES` ("match": run through the matchers;
"verdict": answered by a model) for `rubric show` and `lint`; `gap`, `questions` and
`exemplar` for the agenda's coaching narrative; optionally `passed_over` for explain."""
from callcoach.scoring.checks import forbidden, phrase, question, response, sequence
from callcoach.scoring.checks.base import CheckType, Part

CHECKS: dict[str, CheckType] = {
    "phrase": phrase,
    "forbidden": forbidden,
    "sequence": sequence,
    "response": response,
    "question": question,
}

__all__ = ["CHECKS", "CheckType", "Part"]
