"""Call metadata (calls.csv > sidecar > in-file > file name), the roster and speaker roles,
and discovery of transcript files in folders."""
from __future__ import annotations

import json
import pickle
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from callcoach.errors import MetadataError, TranscriptError, UsageError
from callcoach.ingest import Source, discover, read_transcript, warnings
from callcoach.metadata import from_file_name, parse_started_at
from callcoach.roster import load_roster

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
NAME = "2026-11-03_dana-ruiz_acme-discovery.json"
IN_FILE = {"call_id": "infile-id", "rep": "Dana Ruiz", "started_at": "2026-11-04T10:00:00",
           "call_type": "demo", "account": "InFile Co",
           "utterances": [{"speaker": "Dana Ruiz", "text": "Hi Jordan."},
                          {"speaker": "Jordan Lee", "text": "Hi Dana."}]}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(paths, **kw) -> Source | TranscriptError:
    items = list(discover(paths, **kw))
    assert len(items) == 1, items
    return items[0]


def call(tmp_path: Path, *, manifest: str | None = None, sidecar: str | None = None,
         in_file: dict | None = None, name: str = NAME, roster: str | None = None):
    body = dict(IN_FILE if in_file is None else in_file)
    path = write(tmp_path, name, json.dumps(body))
    if manifest is not None:
        write(tmp_path, "calls.csv", manifest)
    if sidecar is not None:
        write(tmp_path, Path(name).stem + ".meta.yaml", sidecar)
    if roster is not None:
        write(tmp_path, "reps.yaml", roster)
    source = only([tmp_path])
    assert isinstance(source, Source), source
    assert source.path == path
    return source.read()


# -- precedence -----------------------------------------------------------------------------

MANIFEST = f"file,call_id,rep,started_at,call_type,deal_stage\n{NAME},crm-1,,,discovery,negotiation\n"
SIDECAR = "call_id: side-1\ncall_type: qualification\naccount: Sidecar Co\nstarted_at: 2026-11-05T09:00:00-05:00\n"


@pytest.mark.parametrize("layers,field,expected", [
    (("manifest", "sidecar", "in_file"), "call_id", "crm-1"),
    (("sidecar", "in_file"), "call_id", "side-1"),
    (("in_file",), "call_id", "infile-id"),
    ((), "call_id", "2026-11-03_dana-ruiz_acme-discovery"),
    (("manifest", "sidecar", "in_file"), "call_type", "discovery"),
    (("sidecar", "in_file"), "call_type", "qualification"),
    (("in_file",), "call_type", "demo"),
    ((), "call_type", None),
    (("manifest", "sidecar", "in_file"), "account", "Sidecar Co"),  # manifest has no account
    (("manifest", "sidecar", "in_file"), "started_at", datetime(2026, 11, 5, 14, 0)),  # empty cell
    (("in_file",), "started_at", datetime(2026, 11, 4, 10, 0)),
    ((), "started_at", datetime(2026, 11, 3)),
    ((), "rep", "Dana Ruiz"),  # from the file name's slug
], ids=lambda v: "+".join(v) if isinstance(v, tuple) else str(v))
def test_precedence_manifest_sidecar_in_file_file_name(tmp_path, layers, field, expected):
    in_file = IN_FILE if "in_file" in layers else {"utterances": IN_FILE["utterances"]}
    t = call(tmp_path, manifest=MANIFEST if "manifest" in layers else None,
             sidecar=SIDECAR if "sidecar" in layers else None, in_file=in_file)
    assert getattr(t.meta, field) == expected


def test_manifest_extra_columns_are_kept(tmp_path):
    t = call(tmp_path, manifest=MANIFEST)
    assert t.meta.extra == {"deal_stage": "negotiation"}


@pytest.mark.parametrize("sidecar_name", [NAME + ".meta.yaml", Path(NAME).stem + ".meta.yml",
                                          Path(NAME).stem + ".meta.json"])
def test_sidecar_names(tmp_path, sidecar_name):
    write(tmp_path, NAME, json.dumps({"utterances": IN_FILE["utterances"]}))
    text = '{"call_type": "renewal"}' if sidecar_name.endswith("json") else "call_type: renewal\n"
    write(tmp_path, sidecar_name, text)
    assert only([tmp_path]).read().meta.call_type == "renewal"


@pytest.mark.parametrize("value,expected", [
    ("2026-11-03T14:30:00Z", datetime(2026, 11, 3, 14, 30)),
    ("2026-11-03T09:30:00-05:00", datetime(2026, 11, 3, 14, 30)),
    ("2026-11-04T01:30:00+11:00", datetime(2026, 11, 3, 14, 30)),
    ("2026-11-03 14:30", datetime(2026, 11, 3, 14, 30)),  # naive: taken as UTC
    ("2026-11-03", datetime(2026, 11, 3)),
    ("next tuesday", None),
])
def test_started_at_becomes_naive_utc(value, expected):
    assert parse_started_at(value) == expected


@pytest.mark.parametrize("name,expected", [
    ("2026-11-03_dana-ruiz_acme-discovery.vtt",
     {"started_at": "2026-11-03", "rep": "Dana Ruiz", "call_id": "2026-11-03_dana-ruiz_acme-discovery"}),
    ("2026-11-03_1430_sam_renewal.txt",
     {"started_at": "2026-11-03T14:30", "rep": "Sam", "call_id": "2026-11-03_1430_sam_renewal"}),
    ("acme-discovery.vtt", {}),
    ("2026-11-03_acme.vtt", {}),
])
def test_file_name_pattern(name, expected):
    assert from_file_name(Path(name)) == expected


# -- missing and bad metadata ---------------------------------------------------------------

def test_missing_fields_name_the_fields_and_where_they_go(tmp_path):
    path = write(tmp_path, "acme.txt", "Dana: hi\nJo: hello\n")
    with pytest.raises(MetadataError) as e:
        Source(path).read()
    err = e.value
    assert err.message == "missing call metadata: call_id, rep, started_at"
    assert err.key == "call_id"
    assert err.path == str(path)
    assert err.hint == (f"add columns call_id, rep, started_at in {tmp_path / 'calls.csv'} "
                        "(row file=acme.txt), or call_id, rep, started_at in a sidecar "
                        "acme.txt.meta.yaml, or a file name like 2026-11-03_dana-ruiz_acme-discovery.txt, "
                        "or --call-id ... --rep ... --started-at ... on the command line of "
                        "`callcoach score`")


def test_inspect_mode_leaves_missing_fields_null(tmp_path):
    path = write(tmp_path, "acme.txt", "Dana: hi\nJo: hello\n")
    t = Source(path).read(require_meta=False)
    assert (t.meta.call_id, t.meta.rep, t.meta.started_at) == (None, None, None)
    assert t.to_dict()["started_at"] is None
    assert warnings(t) == ["missing call_id, rep, started_at (required to score; see: callcoach docs transcripts)",
                           "rep unknown: speakers the file does not label are shown as prospect"]


def test_bad_manifest_value_is_an_error_at_its_line(tmp_path):
    write(tmp_path, "a.txt", "Dana: hi\n")
    write(tmp_path, "calls.csv", "file,call_id,rep,started_at\n\na.txt,c1,Dana,yesterday\n")
    err = only([tmp_path])
    assert isinstance(err, MetadataError)
    assert (err.path, err.line, err.key) == (str(tmp_path / "calls.csv"), 3, "started_at")
    assert "a.txt: started_at 'yesterday' is not a date/time" in err.message


def test_bad_sidecar_is_an_error_for_that_file_only(tmp_path):
    write(tmp_path, "a.txt", "Dana: hi\n")
    write(tmp_path, "a.meta.yaml", "rep: [unclosed\n")
    write(tmp_path, "b.txt", "Dana: hi\n")
    first, second = discover([tmp_path])
    assert isinstance(first, MetadataError)
    assert first.path == str(tmp_path / "a.meta.yaml") and first.line == 2
    assert first.message.startswith("a.txt: invalid YAML")
    assert isinstance(second, Source) and second.path.name == "b.txt"


def test_manifest_without_file_column_stops_the_scan(tmp_path):
    write(tmp_path, "a.txt", "Dana: hi\n")
    write(tmp_path, "calls.csv", "name,rep\na.txt,Dana\n")
    with pytest.raises(MetadataError) as e:
        list(discover([tmp_path]))
    assert (e.value.line, e.value.message) == (1, "no 'file' column")


def test_manifest_row_without_its_file_is_reported(tmp_path):
    write(tmp_path, "a.txt", "Dana: hi\n")
    write(tmp_path, "calls.csv", "file,call_id\na.txt,c1\ngone.vtt,c2\n")
    items = list(discover([tmp_path]))
    assert isinstance(items[0], Source)
    assert isinstance(items[1], TranscriptError)
    assert items[1].path == str(tmp_path / "gone.vtt")
    assert items[1].message == "listed in calls.csv line 3 but not found"


# -- roster and roles -----------------------------------------------------------------------

ROSTER = """\
reps:
  - name: Dana Ruiz
    aliases: [Dana R., "DR"]
    team: West
    manager: Morgan Blake
  - name: Chris Ng
colleagues:
  - Sam Lee
  - {name: Priya Shah, aliases: [Priya]}
"""


def teams_call(tmp_path: Path, rep: str | None, roster: str | None = ROSTER) -> Source:
    shutil.copy(FIXTURES / "teams_utf16.vtt", tmp_path / "call.vtt")
    if rep is not None:
        write(tmp_path, "calls.csv", f"file,call_id,rep,started_at\ncall.vtt,c1,{rep},2026-11-03T15:00Z\n")
    if roster is not None:
        write(tmp_path, "reps.yaml", roster)
    return only([tmp_path])


@pytest.mark.parametrize("rep", ["Dana Ruiz", "  dana   RUIZ ", "Dana R.", "dr", "dana-ruiz"])
def test_rep_matched_by_name_or_alias_and_spelt_as_the_roster(tmp_path, rep):
    t = teams_call(tmp_path, rep).read()
    assert t.meta.rep == "Dana Ruiz"
    assert t.speakers == {"Dana Ruiz": "rep", "Jordan Lee (Guest)": "prospect", "Sam Lee": "other"}


def test_without_roster_only_the_name_decides(tmp_path):
    t = teams_call(tmp_path, "dana ruiz", roster=None).read()
    assert t.meta.rep == "dana ruiz"
    assert t.speakers == {"Dana Ruiz": "rep", "Jordan Lee (Guest)": "prospect", "Sam Lee": "prospect"}


def test_other_reps_and_managers_are_colleagues(tmp_path):
    write(tmp_path, "c.txt", "Chris Ng: hi\nMorgan Blake: hello\nDana Ruiz: hey\nJo: hi all\n")
    write(tmp_path, "calls.csv", "file,call_id,rep,started_at\nc.txt,c1,Chris Ng,2026-11-03\n")
    write(tmp_path, "reps.yaml", ROSTER)
    t = only([tmp_path]).read()
    assert t.speakers == {"Chris Ng": "rep", "Morgan Blake": "other", "Dana Ruiz": "other",
                          "Jo": "prospect"}


def test_rep_inferred_from_the_roster_when_no_source_names_one(tmp_path):
    t = teams_call(tmp_path, None).read(require_meta=False)
    assert t.meta.rep == "Dana Ruiz"
    assert t.speakers["Dana Ruiz"] == "rep"


def test_no_speaker_matches_the_rep(tmp_path):
    source = teams_call(tmp_path, "Alex Kim")
    with pytest.raises(TranscriptError) as e:
        source.read()
    assert e.value.message == ("no speaker matches rep 'Alex Kim'; speakers found: 'Dana Ruiz', "
                               "'Jordan Lee (Guest)', 'Sam Lee'")
    assert e.value.key == "rep" and "alias" in e.value.hint
    t = source.read(require_meta=False)  # inspect: a warning, not an error
    assert warnings(t) == [e.value.message]


def test_role_labels_in_the_file_satisfy_the_rep(tmp_path):
    shutil.copy(FIXTURES / "roles.txt", tmp_path / "2026-11-03_dana-ruiz_renewal.txt")
    t = only([tmp_path]).read()
    assert t.meta.rep == "Dana Ruiz"
    assert t.speakers == {"REP": "rep", "PROSPECT": "prospect", "AGENT": "rep", "CUSTOMER": "prospect"}


def test_roster_in_a_parent_folder_up_to_the_scanned_root(tmp_path, monkeypatch):
    write(tmp_path, "reps.yaml", ROSTER)
    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(FIXTURES / "teams_utf16.vtt", team / "2026-11-03_dr_x.vtt")
    assert only([tmp_path]).read().meta.rep == "Dana Ruiz"  # root tmp_path: found above the file
    assert only([team]).roster is None                      # root team: tmp_path is out of scope
    assert only([team / "2026-11-03_dr_x.vtt"]).roster is None  # a named file outside the cwd
    monkeypatch.chdir(tmp_path)                             # ... inside it: up to the cwd
    assert only([Path("team/2026-11-03_dr_x.vtt")]).read().meta.rep == "Dana Ruiz"


def test_explicit_roster_wins(tmp_path):
    other = write(tmp_path / "elsewhere", "reps.yaml", "reps: [{name: Dana Ruiz, aliases: [Boss]}]\n")
    source = teams_call(tmp_path, "Boss")  # the folder's roster does not know 'Boss'
    with pytest.raises(TranscriptError):
        source.read()
    assert only([tmp_path / "call.vtt"], roster=other).read().meta.rep == "Dana Ruiz"


@pytest.mark.parametrize("text,line,message,hint", [
    ("reps:\n  - name: A\n    alias: [B]\n", 3, "unknown key 'alias'", "did you mean 'aliases'?"),
    ("rep:\n  - name: A\n", 1, "unknown key 'rep'", "did you mean 'reps'?"),
    ("reps:\n  - team: West\n", 2, "an entry of 'reps' has no name", None),
    ("reps:\n  - name: A\n    aliases: [X]\n  - name: B\n    aliases: [x]\n", 4,
     "'x' names two reps (also on line 2)", "each rep name and alias must be unique"),
    ("reps: [unclosed\n", 2, "invalid YAML", None),
    ("reps: Dana\n", 1, "'reps' should be a list", None),
])
def test_roster_errors_name_the_line(tmp_path, text, line, message, hint):
    path = write(tmp_path, "reps.yaml", text)
    with pytest.raises(MetadataError) as e:
        load_roster(path)
    assert (e.value.path, e.value.line, e.value.hint) == (str(path), line, hint)
    assert e.value.message.startswith(message)


# -- discovery ------------------------------------------------------------------------------

def test_discover_walks_folders_sorted_and_skips_what_is_not_a_transcript(tmp_path):
    for name in ("b.vtt", "a.txt", "sub/c.json", "sub/d.srt", "notes.docx", ".hidden.txt",
                 "calls.csv", "reps.yaml", "a.meta.yaml", "a.txt.meta.json", ".git/x.txt",
                 "e.CSV", "README.md", "LICENSE.txt"):
        write(tmp_path, name, "")
    items = list(discover([tmp_path]))
    assert [i.path.relative_to(tmp_path).as_posix() for i in items] == [
        "a.txt", "b.vtt", "e.CSV", "sub/c.json", "sub/d.srt"]


def test_discover_tries_named_files_reports_missing_ones_and_dedupes(tmp_path):
    notes = write(tmp_path, "notes.docx", "")
    a = write(tmp_path, "a.txt", "")
    items = list(discover([notes, tmp_path / "nope.vtt", tmp_path, a]))
    assert [type(i).__name__ for i in items] == ["Source", "TranscriptError", "Source"]
    assert items[0].path == notes and items[2].path == a
    assert items[1].message == "no such file or folder"


def test_unknown_input_format_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as e:
        list(discover([tmp_path], input_format="webvtt"))
    assert e.value.hint == "did you mean 'vtt'?"


def test_source_pickles_and_fingerprints_what_changes_the_reading(tmp_path):
    source = teams_call(tmp_path, "Dana Ruiz")
    assert pickle.loads(pickle.dumps(source)) == source
    fp = source.fingerprint()
    assert len(fp) == 64 and fp == source.read().content_hash
    assert Source(source.path, source.hints, None, source.roster).fingerprint() == fp
    assert Source(source.path, (), None, source.roster).fingerprint() != fp
    assert Source(source.path, source.hints, "vtt", source.roster).fingerprint() != fp
    assert Source(source.path, source.hints, None, None).fingerprint() != fp
    renamed_team = load_roster(write(tmp_path / "r2", "reps.yaml", ROSTER.replace("West", "East")))
    assert Source(source.path, source.hints, None, renamed_team).fingerprint() == fp


def test_read_transcript_uses_the_folder_metadata(tmp_path):
    teams_call(tmp_path, "DR")
    t = read_transcript(tmp_path / "call.vtt")
    assert (t.meta.call_id, t.meta.rep, t.meta.started_at) == ("c1", "Dana Ruiz", datetime(2026, 11, 3, 15))
    assert t.source == str(tmp_path / "call.vtt") and t.source_format == "vtt"
    with pytest.raises(TranscriptError):
        read_transcript(tmp_path / "missing.vtt")
