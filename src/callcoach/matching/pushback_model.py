"""Push-back read by a learned model: a response trigger's `pushback_model`.

The push-back cues (language.PUSHBACK) hold the shapes of objection someone wrote down; a new
writer's prospects object in shapes nobody did ("Nobody here has time for a rollout this
quarter", "My crew is not going to touch another app"). This reads a sentence the other way: a
linear model (a logistic regression) over its Snowball stems and its pairs of neighbouring
stems, each with a weight learned from labelled calls. A sentence pushes back when its weights
sum past THRESHOLD (log-odds 0: more likely push-back than not). It stays deterministic,
offline and explainable: `reasons` names the stems that weighed most, and `callcoach explain`
shows them beside a trigger the model read.

The weights ship beside this module (pushback_model.tsv), written by
scripts/train_pushback.py from the evaluation set's dev splits only (the objection labels'
evidence quotes are the push-back; every other sentence of the prospect is not), never from
its test splits. docs/matching.md has how it was measured.
"""
from __future__ import annotations

import functools
import hashlib
import math
from itertools import chain, repeat
from pathlib import Path
from typing import Iterable, Sequence

from callcoach.matching.language import stem

WEIGHTS = Path(__file__).with_name("pushback_model.tsv")
THRESHOLD = 0.0
BIAS = "(bias)"
_START, _END = "^", "$"


def _keys(words: Sequence[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """A sentence's stems, and its pairs of neighbouring stems, the sentence's start and end
    counted as words."""
    stems = [stem(w) for w in words]
    return set(stems), set(zip([_START, *stems], [*stems, _END]))


def features(words: Sequence[str]) -> set[str]:
    """A sentence's features (its normalised words), as the weights file names them: each
    stem, and each pair of neighbouring stems ("^ we", "fine $")."""
    ones, pairs = _keys(words)
    return ones | {f"{a} {b}" for a, b in pairs}


@functools.cache
def _load() -> tuple[str, float, dict[str, float], dict[tuple[str, str], float]]:
    """The weights file, read once: its hash, the bias, the stems' weights and the pairs'
    (keyed by the two stems: no string to build per pair when scoring)."""
    raw = WEIGHTS.read_bytes()
    weights = read_weights(raw.decode("utf-8").splitlines())
    bias = weights.pop(BIAS, 0.0)
    ones = {f: w for f, w in weights.items() if " " not in f}
    pairs = {tuple(f.split(" ", 1)): w for f, w in weights.items() if " " in f}
    return hashlib.sha256(raw).hexdigest(), bias, ones, pairs


def _weights() -> tuple[float, dict[str, float], dict[tuple[str, str], float]]:
    return _load()[1:]


def digest() -> str:
    """The shipped weights' hash: part of the hash of a rubric that reads them."""
    return _load()[0]


def read_weights(lines: Iterable[str]) -> dict[str, float]:
    """`feature<TAB>weight` lines; `#` starts a comment line."""
    out = {}
    for line in lines:
        if line and not line.startswith("#"):
            feature, weight = line.rsplit("\t", 1)
            out[feature] = float(weight)
    return out


@functools.lru_cache(maxsize=50_000)
def score(words: tuple[str, ...]) -> float:
    """The sentence's log-odds of pushing back (its normalised words): the sum of the weights
    of its features, summed exactly (fsum), so the order of a set, which differs between
    runs, cannot move a sentence across THRESHOLD. Remembered per sentence: the short ones
    ("Yeah.", "Right, okay.") come back all through a call, and a sentence is asked about
    more than once (a turn's cheap test, then its sentences; a cue's floor, then the model)."""
    bias, ones, pairs = _weights()
    stems, pairs_of = _keys(words)
    return math.fsum(chain((bias,), map(ones.get, stems, repeat(0.0)),
                           map(pairs.get, pairs_of, repeat(0.0))))


def pushes_back(words: tuple[str, ...]) -> bool:
    """Does the sentence (its normalised words) push back?"""
    return bool(words) and score(words) > THRESHOLD


def reasons(words: Sequence[str], n: int = 3) -> list[tuple[str, float]]:
    """The `n` features that pushed the sentence's score up most, strongest first."""
    _, ones, pairs = _weights()
    stems, pairs_of = _keys(words)
    weighed = [(ones.get(f, 0.0), f) for f in stems] + \
        [(pairs.get(p, 0.0), " ".join(p)) for p in pairs_of]
    found = sorted((p for p in weighed if p[0] > 0), key=lambda p: (-p[0], p[1]))
    return [(f, w) for w, f in found[:n]]
