"""pack_utterances writes exactly the bytes of zlib(json.dumps([u.to_dict() ...]), 1): its
fast path must agree with json.dumps on every value, and fall back to it on odd ones."""
import enum
import json
import zlib

import pytest

from callcoach.store import pack_utterances
from callcoach.transcript import Utterance


class _Str(str):
    pass


class _Float(float):
    pass


class _Index(enum.IntEnum):
    THREE = 3


def _reference(utterances) -> bytes:
    return zlib.compress(json.dumps([u.to_dict() for u in utterances]).encode(), 1)


CASES = {
    "plain": [Utterance(0, "Dana", "Hi! How are you?", "rep", 0.0, 4.0),
              Utterance(1, "Sam", "Good, thanks.", "prospect", 5.25, None)],
    "untimed": [Utterance(0, "Dana", "hello", "rep"), Utterance(1, "Sam", "hi", "prospect")],
    "empty": [],
    "non-ascii and escapes": [Utterance(0, "Jörg \"J\"", "café — “quoted” back\\slash\t\n\u2028 😀",
                                        "rep", 1e-7, 123456789.123456789)],
    "negative zero and huge": [Utterance(0, "A", "", "other", -0.0, 1e300)],
    "int times": [Utterance(0, "A", "x", "rep", 1, 2)],
    "nan and infinity": [Utterance(0, "A", "x", "rep", float("nan"), float("inf")),
                         Utterance(1, "A", "x", "rep", 0.0, float("-inf"))],
    "bool index": [Utterance(True, "A", "x", "rep", 0.0, 1.0)],
    "int-enum index": [Utterance(_Index.THREE, "A", "x", "rep", 0.0, 1.0)],
    "str and float subclasses": [Utterance(0, _Str("A"), _Str("x"), _Str("rep"), _Float(1.5),
                                           _Float(2.5))],
    "same speaker, two roles": [Utterance(0, "A", "x", "rep", 0.0, 1.0),
                                Utterance(1, "A", "y", "prospect", 1.0, 2.0)],
}


@pytest.mark.parametrize("utterances", CASES.values(), ids=CASES.keys())
def test_pack_is_json_dumps_bytes(utterances):
    assert pack_utterances(utterances) == _reference(utterances)
    assert pack_utterances(iter(utterances)) == _reference(utterances)


def test_pack_of_a_non_string_text_fails_like_json_dumps():
    with pytest.raises(TypeError):
        pack_utterances([Utterance(0, "A", object(), "rep", 0.0, 1.0)])
