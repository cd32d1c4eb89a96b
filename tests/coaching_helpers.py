"""Hand-built score stores for the coaching commands' tests (selection, scorecard, queue,
evidence; reusable by agenda and progress tests).

    store = make_store(tmp_path, RUBRIC, calls=[
        ("c1", "Dana", at(20, 10), "discovery", {"discovery": 0.4, "next_step": 1.0,
                                                  "objection_handling": None}),
        ...])

A criterion missing from a call's dict is not applicable (None), like an explicit None.
An optional sixth element is a dict of extras: {"account": "Acme", "violations": {"discovery": 3},
"moments": {criterion_id: [Moment, ...]}, "utterances": [Utterance, ...]}.
Each call gets a 10-turn transcript (rep/prospect alternating, 30 s apart) and, per criterion,
moments shaped like the scorer's: a failed sequence/forbidden criterion has `violation`
moments (one per violation, similarity 100 − the call's ordinal), a failed phrase/response
criterion a `missing` moment, a passed one a `match` moment.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from callcoach.rubric.model import Rubric
from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.store import Store
from callcoach.transcript import CallMeta, Utterance

RUBRIC = {
    "rubric": "test-discovery",
    "name": "Test discovery",
    "version": "1",
    "pass_mark": 0.7,
    "criteria": [
        {"id": "discovery", "name": "Discovery questions", "weight": 3,
         "standard": "Ask all three discovery questions before pricing.",
         "anchors": {"pass": "All three asked before pricing.",
                     "fail": "Moves to pricing with questions outstanding."},
         "check": {"type": "sequence", "steps": [
             {"id": "process", "phrases": ["walk me through how you handle this today"]},
             {"id": "impact", "phrases": ["what does this problem cost you"]},
             {"id": "decision", "phrases": ["who else is involved in the decision"]}],
             "before": {"phrases": ["our pricing starts at"]}}},
        {"id": "objection_handling", "name": "Objection handling", "weight": 2,
         "standard": "Acknowledge, clarify, respond, confirm.",
         "check": {"type": "response", "trigger": {"phrases": ["too expensive"]}, "steps": [
             {"id": "acknowledge", "phrases": ["i hear you"]},
             {"id": "confirm", "phrases": ["does that address your concern"]}]}},
        {"id": "next_step", "name": "Next step", "weight": 2,
         "standard": "Secure a specific next step before the call ends.",
         "check": {"type": "phrase", "within": {"last": "20%"},
                   "phrases": ["can we book a follow up for"]}},
        {"id": "pricing_language", "name": "Pricing language", "weight": 1,
         "standard": "Never promise the lowest price.",
         "check": {"type": "forbidden", "phrases": ["lowest price"]}},
    ],
}

TURNS = [
    "Thanks for making the time today.",
    "Sure, happy to chat.",
    "Could you walk me through how you handle this today?",
    "We mostly use spreadsheets and a lot of email.",
    "Our pricing starts at forty dollars a seat.",
    "Hm, that sounds too expensive for us right now.",
    "I hear you, and we are the lowest price around.",
    "Okay. Let me think about it.",
    "Can we book a follow up for Tuesday?",
    "Tuesday works.",
]


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute)


def utterances(rep: str, prospect: str = "Pat") -> list[Utterance]:
    return [Utterance(i, rep if i % 2 == 0 else prospect, text,
                      "rep" if i % 2 == 0 else "prospect", start=i * 30.0, end=i * 30.0 + 25)
            for i, text in enumerate(TURNS)]


def _moments(check: str, score: float | None, passed: bool | None, turns: list[Utterance],
             violations: int, ordinal: int) -> list[Moment]:
    def moment(i: int, kind: str, sim: float | None = 100.0) -> Moment:
        u = turns[i]
        return Moment(i, u.start, u.speaker, u.role, u.text, kind=kind, matched="phrase",
                      similarity=sim)

    if score is None:
        return []
    if passed:
        return [moment({"sequence": 2, "response": 6, "phrase": 8, "forbidden": 0}[check],
                       "match")]
    if check in ("sequence", "forbidden"):
        at_turn = 4 if check == "sequence" else 6
        return [moment(min(at_turn + 2 * k, 8), "violation", float(100 - ordinal))
                for k in range(max(violations, 1))]
    return [moment(8 if check == "phrase" else 6, "missing", None)]


def _reason(criterion: dict, score: float | None, passed: bool | None) -> str:
    if score is None:
        return "not applicable: nothing triggered it"
    verdict = "passed" if passed else "failed"
    return f"{criterion['id']} {verdict} at {score:.2f}"


def make_store(where: Path | Callable[[str], str], rubric_dict: dict = RUBRIC, calls=(), *,
               name: str = "coach.db") -> Store:
    """A store holding the rubric and the given scored calls: `name` under the folder `where`,
    or the store the `new_db` fixture (conftest.py) gives for that name."""
    rubric = Rubric.model_validate(rubric_dict)
    store = Store(where(name.removesuffix(".db")) if callable(where) else where / name)
    body = rubric.model_dump(mode="json", by_alias=True)
    store.save_rubric(rubric.rubric, rubric.content_hash, rubric.version, rubric.name, body)
    weights = {c.id: c.weight for c in rubric.criteria}
    for ordinal, spec in enumerate(calls):
        call_id, rep, started_at, call_type, scores = spec[:5]
        extras = spec[5] if len(spec) > 5 else {}
        turns = extras.get("utterances") or utterances(rep)
        results = []
        for c in rubric_dict["criteria"]:
            score = scores.get(c["id"])
            passed = None if score is None else score >= rubric.pass_mark
            n = extras.get("violations", {}).get(c["id"], 1)
            moments = extras.get("moments", {}).get(c["id"])
            if moments is None:
                moments = _moments(c["check"]["type"], score, passed, turns, n, ordinal)
            counts = {"violations": n} if passed is False and c["check"]["type"] in (
                "sequence", "forbidden") else {}
            results.append(CriterionResult(c["id"], score, passed, _reason(c, score, passed),
                                           moments, counts))
        applicable = [(weights[r.id], r.score) for r in results if r.score is not None]
        total = sum(w for w, _ in applicable)
        overall = (round(100 * sum(w * s for w, s in applicable) / total, 1)
                   if applicable and total else None)
        meta = CallMeta(call_id, rep, started_at, call_type, extras.get("account"),
                        duration=300.0)
        store.save_call(CallScore(meta, rubric.rubric, rubric.version, rubric.content_hash,
                                  overall, False, results, {}, f"{call_id}.txt", call_id),
                        turns)
    return store
