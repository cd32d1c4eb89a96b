"""Both matchers driven by YAML tables of pass/fail cases (tests/fixtures/matching/*.yml), so a
new case is data, not code. Plus the contract every matcher keeps: spans point into the
normalised text, similarities are 0-100, near misses fall below the threshold."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from callcoach.matching import MATCHERS, Document, PhraseGroup

FIXTURES = Path(__file__).parent / "fixtures" / "matching"


def load_cases() -> list:
    params = []
    for path in sorted(FIXTURES.glob("*.yml")):
        table = yaml.safe_load(path.read_text())
        for case in table["cases"]:
            params.append(pytest.param(table["method"], case, id=f"{path.stem}-{case['id']}"))
    return params


def groups_of(case: dict) -> list[PhraseGroup]:
    out = []
    for key, spec in case["groups"].items():
        if isinstance(spec, list):
            spec = {"phrases": spec}
        roles = frozenset(spec["roles"]) if "roles" in spec else None
        out.append(PhraseGroup(key, tuple(spec["phrases"]), spec.get("threshold"), roles))
    return out


@pytest.mark.parametrize("method, case", load_cases())
def test_matching_case(method, case):
    doc = Document.from_texts(case["texts"], case.get("roles"))
    result = MATCHERS[method](groups_of(case)).scan(doc)
    for key, expected in case["expect"].items():
        got = result.of(key)
        assert [m.utterance for m in got] == [e[0] for e in expected], key
        for match, want in zip(got, expected):
            text = doc.texts[match.utterance].text
            assert text[match.start:match.end] == match.text  # spans point into the text
            if len(want) > 1:
                assert match.text == want[1]


@pytest.mark.parametrize("method, case", load_cases())
def test_near_misses_stay_below_threshold(method, case):
    groups = groups_of(case)
    doc = Document.from_texts(case["texts"], case.get("roles"))
    matcher = MATCHERS[method](groups)
    result = matcher.scan(doc, near_misses=True)
    plain = matcher.scan(doc)
    for g in groups:
        assert [m.utterance for m in result.of(g.key)] == [m.utterance for m in plain.of(g.key)]
        for m in result.of(g.key):
            assert 0 <= m.similarity <= 100
        miss = result.near_misses.get(g.key)
        if miss is not None:
            assert not result.of(g.key)
            if method == "intent":
                assert miss.similarity < matcher.threshold(g.key)


def test_fixture_tables_cover_both_matchers():
    methods = {yaml.safe_load(p.read_text())["method"] for p in FIXTURES.glob("*.yml")}
    assert methods == set(MATCHERS)
