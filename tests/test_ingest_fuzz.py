"""Readers never crash: random bytes, truncated fixtures and odd JSON shapes give either a
transcript or a TranscriptError naming the file and a line or a JSON path."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callcoach.errors import CallcoachError, TranscriptError
from callcoach.ingest import Source
from callcoach.readers import READERS
from callcoach.transcript import ROLES, Transcript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
FIXTURE_FILES = sorted(p.name for p in FIXTURES.iterdir())
SCRATCH = Path(tempfile.mkdtemp(prefix="callcoach-fuzz-"))
EXTENSIONS = [".txt", ".md", ".vtt", ".srt", ".csv", ".tsv", ".json", ""]
FUZZ = settings(max_examples=120, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(data: bytes, suffix: str, input_format: str | None = None) -> Transcript | TranscriptError:
    path = SCRATCH / f"fuzz{suffix}"
    path.write_bytes(data)
    for require_meta in (False, True):
        try:
            t = Source(path, input_format=input_format).read(require_meta=require_meta)
        except CallcoachError as e:
            assert isinstance(e, TranscriptError), repr(e)
            assert e.path == str(path)
            assert e.line is not None or e.key is not None, f"no location: {e!r}"
            assert e.message
            if require_meta:
                continue
            return e
        assert t.utterances
        assert all(u.role in ROLES and u.speaker for u in t.utterances)
        assert [u.index for u in t.utterances] == list(range(len(t.utterances)))
        json.dumps(t.to_dict())  # always serialisable
        result = t
    return result


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(EXTENSIONS))
def test_random_bytes(data, suffix):
    outcome(data, suffix)


@FUZZ
@given(data=st.binary(max_size=600), fmt=st.sampled_from(sorted(READERS)))
def test_random_bytes_forced_format(data, fmt):
    outcome(data, ".txt", fmt)


@FUZZ
@given(name=st.sampled_from(FIXTURE_FILES), cut=st.floats(0, 1), data=st.data())
def test_truncated_fixtures(name, cut, data):
    raw = (FIXTURES / name).read_bytes()
    head = raw[: int(len(raw) * cut)]
    if data.draw(st.booleans()):  # and sometimes a byte flipped
        i = data.draw(st.integers(0, max(len(head) - 1, 0)))
        head = head[:i] + bytes([data.draw(st.integers(0, 255))]) + head[i + 1:]
    outcome(head, Path(name).suffix)


_LINE_PIECES = st.sampled_from(["Dana", "REP", "**Jo**", "[00:12]", "(0:07)", "1:02:03", ":", " ",
                                "  ", "\n", "\r\n", "-->", "00:00:01.000 --> 00:00:02.000",
                                "00:00:01,000 --> 00:00:02,000", "WEBVTT", "<v Sam>", "</v>",
                                "&amp;", "&#39;", "speaker,text", ",", ";", '"', "1", "NOTE",
                                "hello there", "Unknown Speaker  0:12", "Dana: hello there\n", "Jo: hi\n", "\t", "\ufeff", "é"])


@FUZZ
@given(pieces=st.lists(_LINE_PIECES, max_size=60), suffix=st.sampled_from(EXTENSIONS))
def test_text_made_of_format_pieces(pieces, suffix):
    outcome("".join(pieces).encode(), suffix)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=12) | st.sampled_from(["spk_0", "AGENT", "CUSTOMER", "12.5", "A"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["results", "items", "alternatives", "content", "type", "start_time",
                         "end_time", "speaker_label", "speaker_labels", "segments", "utterances",
                         "channels", "words", "word", "speaker", "start", "end", "text",
                         "transcript", "Transcript", "ParticipantRole", "Content",
                         "BeginOffsetMillis", "callTranscripts", "sentences", "speakerId",
                         "calls", "metaData", "parties", "audio_segments", "call_id", "rep",
                         "started_at", "role", "extra", "duration"]),
        inner, max_size=5),
    max_leaves=25)


@FUZZ
@given(body=_JSON, fmt=st.none() | st.sampled_from(sorted(r for r in READERS
                                                            if READERS[r].kind == "json")))
def test_json_of_any_shape(body, fmt):
    outcome(json.dumps(body).encode(), ".json", fmt)
