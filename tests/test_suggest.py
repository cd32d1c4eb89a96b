"""suggest: the one "did you mean" every command and the rubric loader use."""
import pytest

from callcoach.suggest import did_you_mean, hint, hint_text


@pytest.mark.parametrize("word, choices, kwargs, expected", [
    ("discovry", ["discovery", "next_step"], {}, ["discovery"]),
    ("DISCOVRY", ["discovery"], {}, ["discovery"]),                      # case is ignored
    ("dana", ["Dana", "Eli"], {}, ["Dana"]),                              # spelt as the choice
    ("zzz", ["discovery"], {}, []),
    ("phrase", ["phrases", "type"], {"n": 1, "cutoff": 0.99, "prefixes": True}, ["phrases"]),
    ("dana1", ["dana-1", "eli-2", "dana-3"], {"n": 1}, ["dana-1"]),
], ids=["typo", "case", "as-spelt", "nothing-close", "prefix", "at-most-n"])
def test_did_you_mean(word, choices, kwargs, expected):
    assert did_you_mean(word, choices, **kwargs) == expected


@pytest.mark.parametrize("guesses, expected", [
    ([], None),
    (["x"], "did you mean 'x'?"),
    (["x", "y"], "did you mean 'x' or 'y'?"),
], ids=["none", "one", "two"])
def test_hint_text(guesses, expected):
    assert hint_text(guesses) == expected


def test_hint_is_none_when_nothing_is_close():
    assert hint("zzz", ["discovery"]) is None
    assert hint("discovry", ["discovery"]) == "did you mean 'discovery'?"
