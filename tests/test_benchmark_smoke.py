"""The correctness half of the scoring benchmark: the fast scorer and the plain reference
scorer (benchmarks/reference.py) agree on every criterion result of generated calls. No
timing here; benchmarks/bench_score.py measures speed."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from callcoach.ingest import discover
from callcoach.rubric.loader import load_rubric
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from reference import compile_reference  # noqa: E402


def _generator():
    spec = importlib.util.spec_from_file_location("callcoach_examples_generate",
                                                  ROOT / "examples" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    _generator().generate_corpus(out, calls=5, turns=300, seed=8)
    return [s.read() for s in discover([out])]


@pytest.mark.parametrize("rubric", ["five-step-discovery", "meddicc", "spin"])
def test_fast_and_reference_scorers_agree(transcripts, rubric):
    r = load_rubric(ROOT / "rubrics" / f"{rubric}.yaml")
    fast, ref = compile_rubric(r), compile_reference(r)
    assert len(transcripts) == 5
    compared = 0
    for t in transcripts:
        a, b = score_transcript(t, fast), score_transcript(t, ref)
        for ra, rb in zip(a.results, b.results, strict=True):
            where = f"{t.call_id} {ra.id}"
            assert (ra.score, ra.passed) == (rb.score, rb.passed), where
            assert [m.utterance for m in ra.moments] == [m.utterance for m in rb.moments], where
            assert ra.to_dict() == rb.to_dict(), where   # reasons, counts, spans, similarity
            compared += 1
        assert a.overall == b.overall
    assert compared == 5 * len(r.criteria)


def test_near_misses_agree(transcripts):
    """explain's near misses come from the same rule, so they agree too."""
    r = load_rubric(ROOT / "rubrics" / "five-step-discovery.yaml")
    fast, ref = compile_rubric(r), compile_reference(r)
    t = transcripts[0]
    a = score_transcript(t, fast, near_misses=True)
    b = score_transcript(t, ref, near_misses=True)
    for ra, rb in zip(a.results, b.results, strict=True):
        assert [m.to_dict() for m in ra.near_misses] == [m.to_dict() for m in rb.near_misses], ra.id
