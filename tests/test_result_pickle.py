"""Scores travel from worker processes to the writer by pickle; result.py's `__reduce__`
methods must carry every field (a field added later and forgotten there would be lost)."""
import copy
import dataclasses
import pickle
from datetime import datetime

import pytest

from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.transcript import CallMeta

MOMENT = Moment(1, 2.5, "Dana", "rep", "text", "near_miss", "phrase", "step", 90.0, (1, 2),
                80.0, "note")
RESULT = CriterionResult("c1", 0.5, True, "reason", [MOMENT], {"found": 1}, [MOMENT])
SCORE = CallScore(CallMeta("call", "dana", datetime(2026, 1, 5), "discovery", "acme", 60.0,
                           {"k": "v"}), "rubric", "1", "hash", 50.0, True, [RESULT],
                  {"rep_talk_ratio": 0.5}, "calls/a.txt", "sha")


@pytest.mark.parametrize("value", [MOMENT, RESULT, SCORE], ids=["moment", "result", "score"])
def test_every_field_survives_pickle_and_copy(value):
    names = [f.name for f in dataclasses.fields(value)]
    assert len(value.__reduce__()[1]) == len(names)
    for again in (pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)),
                  copy.copy(value), copy.deepcopy(value)):
        assert type(again) is type(value)
        assert [getattr(again, n) for n in names] == [getattr(value, n) for n in names]
