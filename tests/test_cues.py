"""Cue timing lines: the one-match fast path gives exactly the seconds of the general one
(`_TIMING` + `parse_clock`), and odd shapes still go through the general one."""
from __future__ import annotations

from pathlib import Path

import pytest

from callcoach.errors import TranscriptError
from callcoach.readers.base import Document, parse_clock
from callcoach.readers.cues import _TIMING, timing

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
