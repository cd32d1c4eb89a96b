"""The bundled examples: the generator is deterministic, the committed files are its output,
and scored through the real pipeline each rep's weakest criterion is the designed one."""
from __future__ import annotations

import importlib.util
import sys
from datetime import datetime
from pathlib import Path

import pytest

from callcoach.analytics.selection import select
from callcoach.scoring.batch import score_paths
from callcoach.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RUBRIC = ROOT / "rubrics" / "five-step-discovery.yaml"
AS_OF = datetime(2026, 11, 13, 23, 59, 59)


def _load_generator():
    spec = importlib.util.spec_from_file_location("examples_generate", EXAMPLES / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module        # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_deterministic(tmp_path):
    a = generate.generate_corpus(tmp_path / "a", calls=12, turns=120, seed=7)
    b = generate.generate_corpus(tmp_path / "b", calls=12, turns=120, seed=7)
    first, second = _tree(a), _tree(b)
    assert len(first) == 12 + 2                          # calls + calls.csv + reps.yaml
    assert first == second


def test_corpus_calls_are_long_and_in_every_format(tmp_path):
    out = generate.generate_corpus(tmp_path, calls=5, turns=300, seed=1)
    suffixes = sorted(p.suffix for p in out.iterdir() if p.name not in ("calls.csv", "reps.yaml"))
    assert suffixes == [".json", ".srt", ".txt", ".vtt", ".vtt"]
    words = len((out / next(p.name for p in out.iterdir() if p.suffix == ".txt")).read_text().split())
    assert 3500 < words < 6500       # ~4,500 words of speech plus a timestamp and name a line


def test_committed_examples_are_the_generators_output(tmp_path):
    generate.generate_examples(tmp_path)
    fresh, committed = _tree(tmp_path / "calls"), _tree(EXAMPLES / "calls")
    assert sorted(fresh) == sorted(committed)
    for name in ("calls.csv", "reps.yaml", *sorted(fresh)[::25]):
        assert fresh[name] == committed[name], f"examples/calls/{name} is stale: run python examples/generate.py"
    assert (tmp_path / "sessions.csv").read_bytes() == (EXAMPLES / "sessions.csv").read_bytes()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("examples") / "ex.db") as s:
        report = score_paths([EXAMPLES / "calls"], RUBRIC, s, jobs=1)
        assert report.errors == []
        assert report.scored == report.total == 128
        yield s


@pytest.mark.parametrize("rep", generate.REPS, ids=lambda r: r.name)
def test_each_rep_is_weakest_where_designed(store, rep):
    selection = select(store, rep.name, as_of=AS_OF)
    assert selection.criterion_id == rep.weakness
    means = {c: m for c, m in selection.criteria_means.items() if m is not None}
    assert min(means, key=means.get) == rep.weakness


def test_account_names_do_not_run_out_past_the_name_banks():
    # generate_corpus wants min(2000, calls // 4) distinct accounts and the banks make 1,333
    # plain names: above ~5,300 calls it used to draw forever. Past the banks, names branch.
    used: set[str] = set()
    rng = generate.random.Random(3)
    names = [generate.make_account(rng, used).company for _ in range(10_000)]
    assert len(set(names)) == len(names) == len(used)
    assert set(names[:1_000]) <= generate.COMPANY_NAMES         # plain names first
    assert generate.COMPANY_NAMES <= set(names)
    assert sum(" of " in n for n in names) == 10_000 - len(generate.COMPANY_NAMES)


def test_corpus_roster_of_250_reps_loads(tmp_path):
    # 100,000 calls have 250 reps; their short aliases ("Jason G") used to name two reps,
    # which the roster rightly refuses.
    from callcoach.roster import load_roster

    reps = generate.corpus_reps(250, generate.random.Random(generate.SEED))
    (tmp_path / "reps.yaml").write_text(generate.roster_yaml(reps))
    assert len(load_roster(tmp_path / "reps.yaml").reps) == 250


@pytest.mark.parametrize("rep", generate.REPS, ids=lambda r: r.name)
def test_agenda_wording_fits_the_coached_criterion(store, rep):
    """Only an objection-handling agenda speaks of the objection raised; nothing is quoted
    twice (a rubric anchor written in quotes came out as “"…"”)."""
    from callcoach.analytics.agenda import build_agenda
    from callcoach.render.agenda import render

    text = render(build_agenda(store, rep.name, as_of=AS_OF), "markdown")
    assert ("Objection raised" in text) == (rep.weakness == "objection_handling")
    assert "same objection" not in text or rep.weakness == "objection_handling"
    for doubled in ('“"', '"”', "“'", "'”", "““", "””"):
        assert doubled not in text
