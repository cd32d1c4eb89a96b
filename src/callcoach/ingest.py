"""Ingestion: find transcript files, attach their metadata and roster, read them.

    for item in discover([Path("calls/")]):
        if isinstance(item, TranscriptError):
            report(item)                      # the batch goes on
            continue
        transcript = item.read()              # TranscriptError / MetadataError only

`discover` does the cheap, folder-level work (manifests, sidecars, rosters) once, in the
parent process; a `Source` is small and picklable, so `read` can run in worker processes.
Formats: `callcoach.readers`; metadata precedence: `callcoach.metadata`; roles:
`callcoach.roster`. User documentation: docs/transcripts.md.
"""
from __future__ import annotations

import hashlib
import json
import os
from operator import attrgetter
import time
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, Iterator, Sequence

from callcoach import metadata, zones
from callcoach.errors import (CallcoachError, MetadataError, NotATranscript, TranscriptError,
                              UsageError)
from callcoach.files import open_file, read_bytes
from callcoach.fmt import clock, plural
from callcoach.sanitize import has_controls, printable, strip_controls
from callcoach.readers import EXTENSIONS, READERS, choose
from callcoach.readers import text as text_reader
from callcoach.suggest import hint
from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Fragment, Parsed
from callcoach.roster import (ROSTER_FILES, Roster, find_roster, load_roster, name_key, rep_keys,
                              speaker_role)
from callcoach.transcript import CallMeta, Transcript, Utterance

# Part of every fingerprint: bump it when what the checks see changes for the same bytes (a
# reader's output, its normalisation, or what the matchers find in it), so stored calls are
# re-read and re-scored instead of skipped as unchanged. 2: a text opening with an apostrophe
# ("'cause") was merged into the text before it by normalisation. 3: intent matching by
# stems, clauses and negation (docs/matching.md); a negated phrase no longer counts. 4: control
# characters stripped from text, speakers and metadata; a moment of a runaway turn is an excerpt.
# 5: the forms of a response step read questions in unpunctuated turns, backchannels, questions
# that change the subject and answers before a question (docs/rubric.md).
READER_VERSION = "5"
# A file changed this recently is hashed on every run, never looked up by its stat: a second
# change within the file system's timestamp resolution could leave size and times as they
# were (what git calls "racy" files).
RACY_NS = 2_000_000_000
# One turn longer than this is refused (the file is skipped): about 9 hours of one voice, so
# only a runaway export (a missing line break, a file that is not speech) reaches it. Files
# are bounded by `files.MAX_FILE_BYTES`.
MAX_UTTERANCE_CHARS = 500_000
NOT_REGULAR = "not a regular file (a FIFO, socket or device)"
# A turn starting more than this before the turn before it is out of time order (a note).
BACKWARDS_SECONDS = 1.0


@dataclass(frozen=True)
class Source:
    """One transcript file and everything needed to read it (picklable: sent to workers)."""

    path: Path
    hints: tuple[tuple[str, str], ...] = ()  # command line over calls.csv over sidecar, sorted
    input_format: str | None = None
    roster: Roster | None = None
    tz: str | None = None                     # the team's zone for naive times (None: UTC)
    origin: str | None = None                 # the file's resolved absolute path
    # found in a folder, and no calls.csv row or sidecar names it: if it is no transcript at
    # all (notes, another JSON), `read` raises NotATranscript and the scan skips it
    optional: bool = False
    # where the bytes are read from when that is not `path`: a worker of a cluster reads the
    # file by its absolute path, while the call keeps the path it was given as its source
    location: str | None = None

    def fingerprint(self) -> str:
        """sha256 of the file's bytes and of everything else that changes what `read` returns:
        the hints, what the file's name says (its metadata, its extension), the zone naive
        times are read in, the forced format, the roster's names and the reader version.
        Cheap: hashing, no parsing."""
        h = self._hasher()
        try:
            with open_file(self.location or self.path) as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
        except OSError as e:
            raise TranscriptError(f"cannot read: {e.strerror or e}", path=self.path) from None
        return h.hexdigest()

    def cache_key(self) -> tuple[str, int, int, int, int, int] | None:
        """What a stored fingerprint of this file stays valid for: everything it hashes besides
        the bytes (see `fingerprint`), and the file's size, mtime,
        ctime, inode and device (any write changes ctime, and nothing can set it back). None
        (hash it) when the file cannot be stat'ed, was changed in the last `RACY_NS`, or on
        Windows."""
        if os.name == "nt":   # st_ctime is the creation time there: a rewrite keeps it
            return None
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            return None
        return (self._hasher().hexdigest(), st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                st.st_ino, st.st_dev)

    def read(self, *, require_meta: bool = True) -> Transcript:
        """Parse, merge turns, resolve metadata and roles.

        With `require_meta=False` (inspect) missing call_id/rep/started_at are left None and
        a rep who matches no speaker is not an error; see `warnings()`.
        """
        try:
            data = read_bytes(self.location or self.path)
        except OSError as e:
            raise TranscriptError(f"cannot read: {e.strerror or e}", path=self.path) from None
        h = self._hasher()
        h.update(data)
        file_hash = hashlib.sha256(data).hexdigest()
        doc = Document(self.path, data)
        del data   # the document drops the bytes once decoded: a big file is not held twice
        try:
            parsed, fmt = _parse(doc, self.input_format, self.optional)
        except NotATranscript as e:
            if self.optional:
                raise
            # named on the command line or as a call: an error like any other
            raise TranscriptError(e.message, path=e.path, line=e.line, column=e.column,
                                  key=e.key, hint=e.hint) from None
        transcript = build(self.path, parsed, dict(self.hints), self.roster, require_meta,
                           zones.zone(self.tz) if self.tz else None)
        transcript.source = str(self.path)
        transcript.source_format = fmt
        transcript.content_hash = h.hexdigest()
        transcript.file_hash = file_hash
        transcript.origin = self.origin or os.path.realpath(self.path)
        return transcript

    def _hasher(self) -> Any:
        h = hashlib.sha256()
        # The file's name gives metadata (date, rep, call id) and picks the reader; the zone
        # reads a time without an offset, which the hints or the name may give.
        started = next((v for k, v in self.hints if k == "started_at"), None)
        zoned = started is None or not metadata.says_offset(started)
        head = {"reader_version": READER_VERSION, "hints": [list(p) for p in self.hints],
                "name": self.path.name, "tz": (self.tz or "UTC") if zoned else None,
                "input_format": self.input_format,
                "roster": self.roster.identity if self.roster else None}
        h.update(json.dumps(head, sort_keys=True).encode())
        h.update(b"\0")
        return h


def read_transcript(path: str | Path, *, input_format: str | None = None,
                    roster: Path | None = None, require_meta: bool = True,
                    tz: str | None = None) -> Transcript:
    """Read one file with the metadata and roster `discover` would give it.

    >>> read_transcript("calls/2026-11-03_dana-ruiz_acme-discovery.vtt").meta.rep  # doctest: +SKIP
    'Dana Ruiz'
    """
    for item in discover([Path(path)], input_format=input_format, roster=roster, tz=tz):
        if isinstance(item, TranscriptError):
            raise item
        return item.read(require_meta=require_meta)
    raise TranscriptError("nothing to read", path=path)  # unreachable: one path, one item


# -- reading --------------------------------------------------------------------------------

def _parse(doc: Document, input_format: str | None,
           optional: bool = False) -> tuple[Parsed, str]:
    reader_name = input_format or "auto"
    try:
        if input_format is not None and input_format not in READERS:
            raise doc.error(f"unknown input format {input_format!r}", line=1,
                            hint="one of: " + ", ".join(sorted(READERS)))
        reader = choose(doc, input_format)
        reader_name = reader.name
        parsed = reader.parse(doc)
    except TranscriptError:
        raise
    except CallcoachError as e:  # not expected from readers; keep its location
        raise TranscriptError(e.message, path=doc.path, line=e.line or 1, key=e.key) from None
    except RecursionError:
        raise doc.error("nested too deeply to be a transcript", line=1) from None
    except Exception as e:  # noqa: BLE001
        # A reader bug or a shape it did not foresee: still one clean error for this file,
        # so one odd file never stops a nightly batch.
        raise doc.error(f"cannot read as {reader_name}: {type(e).__name__}: {e}", line=1) from None
    if not parsed.turns:
        where = {"key": "$"} if reader.kind == "json" else {"line": 1}
        raise doc.error(f"no utterances found (read as {reader_name})", **where)
    if optional and reader is READERS["text"] and not text_reader.sniff(doc) \
            and text_reader.mostly_prose(doc):
        raise doc.error("mostly prose, not a transcript: its first 'Name: text' line comes "
                        "after most of its lines", line=1, shape=True)
    parsed.notes[:0] = doc.notes   # how the bytes were decoded, for every caller
    return parsed, reader_name


def build(path: Path, parsed: Parsed, hints: dict[str, str], roster: Roster | None,
          require_meta: bool, tz: tzinfo | None = None) -> Transcript:
    """Turns + metadata layers + roster -> Transcript (metadata precedence and roles). `tz`:
    the team's zone, for times without an offset in the hints or the file name."""
    notes = parsed.notes + _screen(path, parsed.turns)
    known, from_name = metadata.split_known(hints.items()), metadata.from_file_name(path)
    values = metadata.layered(known, parsed.meta, from_name)
    rep = _canonical_rep(values.get("rep"), roster, parsed.turns)
    started_at = None
    raw, zoned = metadata.started_at_source(known, parsed.meta, from_name)
    if raw is not None:
        started_at = metadata.parse_started_at(raw, tz if zoned else None)
        if started_at is None:
            raise MetadataError(f"started_at {raw!r} is not a date/time", path=path,
                                key="started_at", hint="use ISO 8601, e.g. 2026-11-03T14:30:00Z")
    duration = None
    if values.get("duration") is not None:
        duration = metadata.parse_duration(values["duration"])
        if duration is None:
            raise MetadataError(f"duration {values['duration']!r} is not seconds or mm:ss", path=path,
                                key="duration")
    call_id = str(values["call_id"]).strip() if values.get("call_id") else None
    if require_meta:
        missing = [f for f, v in (("call_id", call_id), ("rep", rep), ("started_at", started_at)) if not v]
        if missing:
            raise MetadataError(f"missing call metadata: {', '.join(missing)}", path=path, key=missing[0],
                                hint=metadata.where_to_put(missing, path))

    reps = rep_keys(rep, roster)
    internal = roster.internal_keys - reps if roster else frozenset()
    roles: dict[tuple[str, str | None], str] = {}  # a few speakers, thousands of turns
    utterances = []
    for i, t in enumerate(parsed.turns):
        role = roles.get((t.speaker, t.role))
        if role is None:
            role = roles[(t.speaker, t.role)] = speaker_role(t.speaker, t.role, reps, internal)
        utterances.append(Utterance(i, t.speaker or UNKNOWN_SPEAKER, t.text, role, t.start, t.end))
    meta = CallMeta(call_id, rep, started_at,  # type: ignore[arg-type]  # None only for inspect
                    _opt(values.get("call_type")), _opt(values.get("account")), duration,
                    dict(sorted(values["extra"].items())))
    transcript = Transcript(meta, utterances, notes=notes + _time_order(utterances))
    problem = _rep_problem(transcript) if require_meta else None   # inspect: see warnings()
    if problem:
        raise TranscriptError(problem, path=path, key="rep",
                              hint="add that spelling as an alias in reps.yaml, or fix the call's rep")
    return transcript


def _screen(path: Path, turns: list[Fragment]) -> list[str]:
    """Refuse a runaway turn (over `MAX_UTTERANCE_CHARS`); strip control characters from
    texts and speakers (`sanitize.strip_controls`): they would act on the terminal of whoever
    reads an excerpt. Returns the notes to give the user. Both are judged on all the turns at
    once (C-speed passes), since nearly every file has neither."""
    texts = list(map(_TEXT, turns))
    if max(map(len, texts), default=0) > MAX_UTTERANCE_CHARS:
        i, t = next((i, t) for i, t in enumerate(turns) if len(t.text) > MAX_UTTERANCE_CHARS)
        raise TranscriptError(
            f"turn {i + 1} ({t.speaker or UNKNOWN_SPEAKER}"
            f"{'' if t.start is None else f', at {clock(t.start)}'}) is "
            f"{len(t.text):,} characters long, over the limit of {MAX_UTTERANCE_CHARS:,} "
            f"for one utterance; the file is skipped", path=path,
            hint="is a line break missing, or is the file not a transcript? split the turn")
    if not has_controls("".join(texts)) and not has_controls("".join(
            {t.speaker for t in turns if t.speaker})):
        return []
    stripped = 0
    for t in turns:   # strip_controls hands back the same string when it has none
        text, speaker = strip_controls(t.text), t.speaker and strip_controls(t.speaker)
        if text is not t.text or speaker is not t.speaker:
            t.text, t.speaker, stripped = text, speaker, stripped + 1
    return [f"removed control characters (terminal escape sequences) from "
            f"{plural(stripped, 'turn')}"]


_TEXT = attrgetter("text")


def _time_order(utterances: list[Utterance]) -> list[str]:
    """Notes for timestamps that run backwards: a turn that ends before it starts, and turns
    that start well before the turn before them. Scoring reads them as given."""
    notes = []
    reversed_ = [u for u in utterances
                 if u.start is not None and u.end is not None and u.end < u.start]
    if reversed_:
        u = reversed_[0]
        more = f" (and {len(reversed_) - 1} more)" if len(reversed_) > 1 else ""
        notes.append(f"turn {u.index + 1} ends ({clock(u.end)}) before it starts "
                     f"({clock(u.start)}){more}")
    timed = [u for u in utterances if u.start is not None]
    back = [(a, b) for a, b in zip(timed, timed[1:]) if b.start < a.start - BACKWARDS_SECONDS]
    if back:
        a, b = back[0]
        more = f" (and {len(back) - 1} more)" if len(back) > 1 else ""
        notes.append(f"timestamps run backwards: turn {b.index + 1} starts at {clock(b.start)}, "
                     f"before turn {a.index + 1} ({clock(a.start)}){more}")
    return notes


def _opt(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _canonical_rep(rep: Any, roster: Roster | None, turns: list[Fragment]) -> str | None:
    """The roster's spelling of the rep; or, when no source names the rep, the one roster
    rep among the speakers (not when two are, and not a speaker the file calls prospect)."""
    if rep:
        rep = " ".join(str(rep).split())
        person = roster.find_rep(rep) if roster else None
        return person.name if person else rep
    if not roster:
        return None
    # each speaker once: a call has a handful of speakers and hundreds of turns
    speakers = {t.speaker for t in turns if t.role not in ("prospect", "other")}
    found = {p.name for p in map(roster.find_rep, speakers) if p is not None}
    return found.pop() if len(found) == 1 else None


def _rep_problem(transcript: Transcript) -> str | None:
    rep = transcript.meta.rep
    if not rep or any(u.role == "rep" for u in transcript.utterances):
        return None
    speakers = ", ".join(repr(s) for s in transcript.speakers)
    return f"no speaker matches rep {rep!r}; speakers found: {speakers}"


def warnings(transcript: Transcript) -> list[str]:
    """What would stop this transcript from being scored, or make its roles doubtful."""
    out = []
    meta = transcript.meta
    missing = [f for f in metadata.REQUIRED if not getattr(meta, f)]
    if missing:
        out.append(f"missing {', '.join(missing)} (required to score; see: callcoach docs transcripts)")
    out.extend(transcript.notes)
    problem = _rep_problem(transcript)
    if problem:
        out.append(problem)
    elif not meta.rep and not any(u.role == "rep" for u in transcript.utterances):
        out.append("rep unknown: speakers the file does not label are shown as prospect")
    return out


# -- discovery ------------------------------------------------------------------------------

def discover(paths: Sequence[Path], *, input_format: str | None = None,
             roster: Path | None = None, tz: str | None = None,
             hints: dict[str, str] | None = None) -> Iterator[Source | TranscriptError]:
    """Sources for files and folders, in a deterministic order (arguments in order, folders
    recursively sorted). Inside folders, manifests, rosters, sidecars, hidden files, README/
    LICENSE/CHANGELOG files and files of no known extension are skipped, and a file that
    nothing names as a call is `optional` (its `read` raises NotATranscript when it is no
    transcript at all); a file named explicitly is always tried. `hints`: metadata from the
    command line (call_id, rep, started_at, call_type...), over every other source; a call id
    needs a single file. A missing path, a bad manifest row or sidecar, or a manifest row whose
    file is absent, is yielded as an error and the scan goes on. A broken `reps.yaml`, or a
    `calls.csv` that cannot be read as a manifest at all, raises: every file it governs would
    be misread."""
    if input_format is not None and input_format not in READERS:
        raise UsageError(f"unknown input format {input_format!r}",
                         hint=hint(input_format, READERS, n=1) or
                         "one of: " + ", ".join(sorted(READERS)))
    explicit = None
    if roster is not None:
        if not Path(roster).is_file():
            raise UsageError(f"roster file not found: {roster}")
        explicit = load_roster(Path(roster))
    if tz:
        zones.zone(tz)   # an unknown zone is a usage error now, not an error per file later
    given = {k: str(v) for k, v in (hints or {}).items() if v is not None}
    bad = metadata.check_hints(given)
    if bad:
        field_name = bad.split(" ", 1)[0]
        raise UsageError("--" + bad.replace("_", "-", 1), key="--" + field_name.replace("_", "-"))
    if "call_id" in given and not (len(paths) == 1 and Path(paths[0]).is_file()):
        raise UsageError("--call-id names one call: give it with one transcript file",
                         key="--call-id", hint="for several files, use calls.csv or sidecars "
                                             "(docs/transcripts.md)")
    scan = _Scan(input_format, explicit, tz, given)
    cwd = Path.cwd().resolve()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from scan.folder(path)
        elif path.exists():
            resolved = path.resolve()
            root = cwd if cwd in resolved.parents else resolved.parent
            item = scan.file(path, root)
            if item is not None:
                yield item
        else:
            yield TranscriptError("no such file or folder", path=path)


def count(paths: Sequence[Path]) -> int:
    """How many files `discover` will offer, from their names alone (no file is opened): the
    progress bar's total before the first call is scored, and an empty folder caught before
    the store is touched. A manifest row whose file is missing is not counted."""
    n = 0
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            n += 1
            continue
        for _, files, others in _walk(path):   # the folders `discover` reads
            n += sum(1 for name in files + others if _is_transcript_name(name))
    return n


@dataclass
class _Scan:
    input_format: str | None
    roster: Roster | None
    tz: str | None = None
    given: dict[str, str] = field(default_factory=dict)   # metadata from the command line
    _manifests: dict[Path, dict[str, tuple[int, dict[str, str]]]] = field(default_factory=dict)
    _rosters: dict[Path, Roster] = field(default_factory=dict)
    _seen: set[Path] = field(default_factory=set)
    _resolved: dict[Path, Path] = field(default_factory=dict)
    _roster_paths: dict[tuple[Path, Path], Path | None] = field(default_factory=dict)

    def folder(self, top: Path) -> Iterator[Source | TranscriptError]:
        for folder, filenames, others in _walk(top):
            present = set()
            siblings = frozenset(filenames)
            for name in sorted(filenames + others):
                path = folder / name
                if not _is_transcript_name(name):
                    continue
                present.add(name)
                if name in others:   # opening a FIFO would wait for a writer, forever
                    yield NotATranscript(NOT_REGULAR, path=path)
                    continue
                item = self.file(path, top, siblings)
                if item is not None:
                    yield item
            manifest = self._manifest(folder)
            for name, (line, _) in sorted(manifest.items(), key=lambda kv: kv[1][0]):
                if name not in present and not (folder / name).is_file():
                    yield TranscriptError(f"listed in {metadata.MANIFEST} line {line} but not found",
                                          path=folder / name, key="file")

    def file(self, path: Path, root: Path,
             siblings: frozenset[str] | None = None) -> Source | TranscriptError | None:
        """`siblings`: the file names of `path`'s folder, when the walk has listed them."""
        resolved = path.resolve()
        if resolved in self._seen:
            return None
        self._seen.add(resolved)
        hints: dict[str, str] = {}
        sidecar = metadata.find_sidecar(path, siblings)
        if sidecar is not None:
            try:
                values = metadata.read_sidecar(sidecar)
            except MetadataError as e:
                e.message = f"{path.name}: {e.message}"
                return e
            bad = metadata.check_hints(values)
            if bad:
                return MetadataError(f"{path.name}: {bad}", path=sidecar, line=1,
                                     key=bad.split(" ", 1)[0])
            hints.update(values)
        row = self._manifest(path.parent).get(path.name)
        if row is not None:
            line, values = row
            bad = metadata.check_hints(values)
            if bad:
                return MetadataError(f"{path.name}: {bad}", path=path.parent / metadata.MANIFEST,
                                     line=line, key=bad.split(" ", 1)[0])
            hints.update(values)
        named = bool(hints)
        hints.update(self.given)   # the command line's, over calls.csv's, over the sidecar's
        roster = self.roster or self._roster(path.parent, root)
        return Source(path, tuple(sorted(hints.items())), self.input_format, roster, self.tz,
                      str(resolved), optional=siblings is not None and not named)

    def _manifest(self, folder: Path) -> dict[str, tuple[int, dict[str, str]]]:
        key = self._resolved.get(folder)
        if key is None:   # resolve() costs an lstat per path part: once per folder, not file
            key = self._resolved[folder] = folder.resolve()
        if key not in self._manifests:
            path = folder / metadata.MANIFEST
            self._manifests[key] = metadata.read_manifest(path) if path.is_file() else {}
        return self._manifests[key]

    def _roster(self, folder: Path, root: Path) -> Roster | None:
        if (folder, root) not in self._roster_paths:   # once per folder: it walks up the tree
            self._roster_paths[(folder, root)] = find_roster(folder, root)
        path = self._roster_paths[(folder, root)]
        if path is None:
            return None
        if path not in self._rosters:
            self._rosters[path] = load_roster(path)
        return self._rosters[path]


def _walk(top: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """(folder, regular file names, other non-folder names) for `top` and its sub-folders in
    `os.walk`'s order, hidden and `__x` folders left out, symlinked folders not followed.
    `os.scandir` says what each entry is without a stat on most file systems; a stack, not
    recursion, so no folder tree is too deep."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        files, others, folders = [], [], []
        for entry in entries:
            try:
                if entry.is_dir():
                    if not entry.name.startswith((".", "__")) and not entry.is_symlink():
                        folders.append(entry.name)
                elif entry.is_file() or entry.is_symlink():   # a broken link fails on read
                    files.append(entry.name)
                else:
                    others.append(entry.name)
            except OSError:   # vanished meanwhile: as a file, it reports itself
                files.append(entry.name)
        yield folder, files, others
        stack.extend(folder / name for name in sorted(folders, reverse=True))


_NOT_CALLS = ("readme", "license", "licence", "changelog")


def _is_transcript_name(name: str) -> bool:
    lower = name.casefold()
    if name.startswith(".") or lower == metadata.MANIFEST or lower in ROSTER_FILES:
        return False
    if lower.startswith(_NOT_CALLS):  # a folder's README.md is not a call
        return False
    if metadata.is_sidecar(Path(name)):
        return False
    return Path(lower).suffix in EXTENSIONS




def skipped_note(skipped: Sequence[TranscriptError], shown: int = 5) -> str:
    """The one quiet line for the files of a folder that are no transcripts at all."""
    n = len(skipped)
    names = [printable(Path(e.path).name) if e.path else "?" for e in skipped]
    listed = ", ".join(names[:shown]) + (f" and {n - shown} more" if n > shown else "")
    # a FIFO or device cannot be read anyway; a file of another shape can, when named
    special = sum(e.message.startswith(NOT_REGULAR) for e in skipped)
    hint = ("a FIFO, socket or device cannot be scored: save its content to a file"
            if special == n else "name a file on the command line to read it anyway"
            if not special else "name a regular one on the command line to read it anyway")
    return (f"skipped {plural(n, 'file')} that {'is' if n == 1 else 'are'} not a "
            f"transcript: {listed} ({hint})")


STDIN = "-"   # as a path: read the transcript from standard input


def inspect_paths(paths: Sequence[Path], *, input_format: str | None = None,
                  roster: Path | None = None, tz: str | None = None,
                  stdin: bytes | None = None
                  ) -> Iterator[tuple[Transcript, list[str]] | TranscriptError]:
    """What callcoach understood of each file, for `callcoach inspect`: the transcript read
    without requiring metadata, with its warnings; or the file's error. A path `-` is
    `stdin` (its bytes), read like a file with no name to take metadata from."""
    batch: list[Path] = []
    for raw in [*paths, None]:
        if raw is not None and str(raw) != STDIN:
            batch.append(Path(raw))
            continue
        for item in discover(batch, input_format=input_format, roster=roster, tz=tz):
            if isinstance(item, TranscriptError):
                yield item
                continue
            try:
                transcript = item.read(require_meta=False)
            except TranscriptError as e:
                yield e
                continue
            yield transcript, warnings(transcript)
        batch = []
        if raw is not None:
            yield _read_stdin(stdin or b"", input_format, roster, tz)


def _read_stdin(data: bytes, input_format: str | None, roster: Path | None, tz: str | None
                ) -> tuple[Transcript, list[str]] | TranscriptError:
    name = Path("<stdin>")
    try:
        parsed, fmt = _parse(Document(name, data), input_format)
        transcript = build(name, parsed, {}, load_roster(Path(roster)) if roster else None,
                           require_meta=False, tz=zones.zone(tz) if tz else None)
    except TranscriptError as e:
        return e
    transcript.source, transcript.source_format = str(name), fmt
    return transcript, warnings(transcript)


__all__ = ["Source", "count", "discover", "read_transcript", "inspect_paths", "warnings", "build",
           "READER_VERSION", "name_key"]
