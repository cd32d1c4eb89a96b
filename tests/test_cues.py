"""Cue files: the fast paths give exactly what the general ones give — timing lines (one
match against `_TIMING` + `parse_clock`) and whole simple cues (one match per block against
the block-by-block `_read_block`) — and odd shapes still go through the general ones."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callcoach.errors import TranscriptError
from callcoach.readers.base import Document, parse_clock
from callcoach.readers import cues
from callcoach.readers.cues import _TIMING, parse_cues, timing

DOC = Document(Path("t.vtt"), b"")


@pytest.mark.parametrize("line", [
    "00:00:16.900 --> 00:00:18.000",
    "00:00:16,900 --> 00:00:18,001",                      # SRT
    "01:02:05.123 --> 01:02:07.999 align:start position:10%",
    "  100:59:59.999   -->  100:59:59.999",
    "00:07:42.5 --> 00:07:43.25",                         # not 3 decimals: general path
    "07:42.500 --> 07:43.000",                            # no hours: general path
    "00:00:01 --> 00:00:02",
], ids=["vtt", "srt", "settings", "spaces-big-hours", "short-fraction", "no-hours", "no-fraction"])
def test_timing_matches_parse_clock(line):
    m = _TIMING.match(line)
    expected = (parse_clock(m.group(1)), parse_clock(m.group(2)))
    got = timing(DOC, line, 1)
    assert got == expected and all(type(x) is float for x in got)


def test_bad_timing_is_still_an_error():
    with pytest.raises(TranscriptError, match="bad cue timing"):
        timing(DOC, "00:00:01.000 --> soon", 3)


# -- whole cues: `_SIMPLE_CUE` + the payload split vs the general block path --------------

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
NEVER = re.compile(r"(?!)")   # a `_SIMPLE_CUE` that matches nothing: every block goes the general way

MIXED = """WEBVTT

1
00:00:01.000 --> 00:00:02.000
Dana Ruiz: Hi Jordan, thanks for making time.

2
00:00:02.000 --> 00:00:03.500 align:start
Dana Ruiz: Q&amp;A first?  Or the  demo?

NOTE the next cue has two lines
00:00:03.000 --> 00:00:03.200

3
00:00:04.000 --> 00:00:05.000
Jordan Lee: Let's do Q&A.
Then the demo.
\u00a0
4
00:00:05.000 --> 00:00:06.000
<v Jordan Lee> Sounds <i>good</i> </v>
   \t
9a8f-11/4-0
00:00:06.000 --> 00:00:07.000
<v Dana Ruiz>Great.</v> <v Jordan Lee>Yes.</v>

00:00:07.000 --> 00:00:08.000
So here is the thing: it works.

00:00:08.000 --> 00:00:09.000
Meeting title: Acme discovery

00:00:09.000 --> 00:00:10.000
>> AGENT: Fine by me.

00:00:10.000 --> 00:00:11.000
[Customer] Me too.
"""


def parsed(text: str, header: str | None, monkeypatch=None) -> tuple:
    if monkeypatch is not None:
        monkeypatch.setattr(cues, "_SIMPLE_CUE", NEVER)
    try:
        p = parse_cues(Document(Path("t.vtt"), text.encode()), header=header)
    except TranscriptError as e:
        return ("error", e.message, e.line)
    return [(t.speaker, t.text, t.start, t.end, t.role) for t in p.turns], p.meta


def test_a_cue_file_mixing_shapes_reads_as_the_general_path_does(monkeypatch):
    fast = parsed(MIXED, "WEBVTT")
    assert fast[0][:2] == [("Dana Ruiz", "Hi Jordan, thanks for making time. Q&A first? Or the demo?",
                            1.0, 3.5, None),
                           ("Jordan Lee", "Let's do Q&A. Then the demo. Sounds good", 4.0, 6.0, None)]
    assert fast[1] == {"extra": {"title": "Acme discovery"}}
    assert fast == parsed(MIXED, "WEBVTT", monkeypatch)


@pytest.mark.parametrize("name", ["zoom.vtt", "zoom_sample.vtt", "teams_utf16.vtt", "call.srt"])
def test_fixtures_read_as_the_general_path_does(name, monkeypatch):
    doc_text = Document(FIXTURES / name, (FIXTURES / name).read_bytes()).text
    header = None if name.endswith(".srt") else "WEBVTT"
    assert parsed(doc_text, header) == parsed(doc_text, header, monkeypatch)


IDS = ["", "", "7\n", "3f2a-9c/12-0\n", "NOTE\n", "id with spaces\n", " 7\n"]
TIMINGS = ["00:00:01.000 --> 00:00:02.500", "00:01:02,500 --> 00:01:04,000",
           "00:00:03.000 --> 00:00:04.000 align:start", "00:05.000 --> 00:06.000", " 00:00:07.000 --> 00:00:08.000"]
NAMES = ["Dana Ruiz", "AGENT", "Sam Ortiz Jr.", "So here is the thing", "Hosted by", "x" * 61, "Dana ", ""]
WORDS = st.lists(st.sampled_from(["hi", "there", "Q&amp;A", "&", "<b>", "a\u00a0b", "  ", "\t", "10:30", "é"]),
                 max_size=5).map(" ".join)
PAYLOADS = st.one_of(
    st.tuples(st.sampled_from(NAMES), WORDS).map(lambda p: f"{p[0]}: {p[1]}"),
    st.tuples(st.sampled_from(NAMES), WORDS).map(lambda p: f"<v {p[0]}>{p[1]}</v>"),
    WORDS)
CUES = st.tuples(st.sampled_from(IDS), st.sampled_from(TIMINGS), st.lists(PAYLOADS, max_size=2),
                 st.sampled_from(["\n", "\n", "\n\n", " \n", "\u00a0\n"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(CUES, min_size=1, max_size=6), st.booleans())
def test_any_mix_of_cue_shapes_reads_as_the_general_path_does(blocks, vtt):
    text = ("WEBVTT\n\n" if vtt else "") + "".join(
        i + t + "\n" + "".join(p + "\n" for p in ps) + sep for i, t, ps, sep in blocks)
    header = "WEBVTT" if vtt else None
    fast = parsed(text, header)
    with pytest.MonkeyPatch.context() as mp:
        assert fast == parsed(text, header, mp)
