"""Call metadata and where it comes from.

Each field is taken from the first of these that has it (precedence, highest first):

0. the command line of `callcoach score` (`--call-id`, `--rep`, `--started-at`, `--call-type`),
   for a one-off export;
1. `calls.csv` in the transcript's folder — columns `file,call_id,rep,started_at,call_type`,
   optionally `account`, `duration`; any other column is kept in `extra`;
2. a sidecar `NAME.meta.yaml` / `.meta.yml` / `.meta.json` next to the file (NAME is the
   file's name, with or without its extension) — a flat mapping of the same keys;
3. fields inside the file (callcoach JSON, Gong `metaData`, durations from STT engines);
4. the file name: `YYYY-MM-DD[_HHMM]_rep-name_anything.ext` gives `started_at`, `rep`
   (dashes to spaces, title case; the roster's spelling wins) and `call_id` (the stem);
5. for `rep` only: the one roster rep found among the speakers.

`started_at` becomes a naive UTC datetime: offsets are converted; a time without one (and a
bare date, at midnight) is read in the team's zone when it comes from calls.csv, a sidecar,
the command line or the file name, and as UTC when it comes from inside the file (callcoach
JSON is naive UTC).
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Iterable

import yaml

from callcoach import safe_yaml
from callcoach.errors import MetadataError
from callcoach.files import MAX_YAML_BYTES, read_bytes
from callcoach.readers.base import parse_clock
from callcoach.sanitize import strip_controls

MANIFEST = "calls.csv"
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json")
FIELDS = ("call_id", "rep", "started_at", "call_type", "account", "duration")
REQUIRED = ("call_id", "rep", "started_at")
FILE_NAME_PATTERN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T_](?P<hour>\d{2})[-:h]?(?P<minute>\d{2}))?"
    r"_(?P<rep>[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)_(?P<rest>.+)$")


def is_sidecar(path: Path) -> bool:
    return path.name.casefold().endswith(SIDECAR_SUFFIXES)


# -- calls.csv -----------------------------------------------------------------------------

def read_manifest(path: Path) -> dict[str, tuple[int, dict[str, str]]]:
    """file name -> (line, {field: value}) for each row. Empty cells are left out so a lower
    source can fill them. A manifest without a `file` column, or naming a file twice,
    is an error for the whole folder."""
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except OSError as e:
        raise MetadataError(f"cannot read manifest: {e.strerror or e}", path=path) from None
    except UnicodeDecodeError as e:
        raise MetadataError("manifest is not UTF-8", path=path, line=text_line(e), hint="save as UTF-8")\
            from None
    reader = csv.reader(io.StringIO(text))
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    header: list[str] | None = None
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            if header is None:
                header = [c.strip().casefold().replace(" ", "_") for c in row]
                if "file" not in header:
                    raise MetadataError("no 'file' column", path=path, line=reader.line_num,
                                        hint="header: file,call_id,rep,started_at,call_type")
                continue
            values = {h: c.strip() for h, c in zip(header, row) if h and c.strip()}
            name = values.pop("file", "")
            if not name:
                raise MetadataError("row has no file name", path=path, line=reader.line_num, key="file")
            name = name.replace("\\", "/")
            if name in rows:
                raise MetadataError(f"{name!r} is listed twice (also line {rows[name][0]})", path=path,
                                    line=reader.line_num, key="file")
            rows[name] = (reader.line_num, values)
    except csv.Error as e:
        raise MetadataError(f"malformed CSV: {e}", path=path, line=reader.line_num) from None
    return rows


def yaml_error(e: yaml.YAMLError, path: Path, text: str) -> MetadataError:
    """A YAML error in a sidecar or roster (syntax, or a `safe_yaml` limit), at its line."""
    line, column, message, _ = safe_yaml.described(e, text)
    return MetadataError(message, path=path, line=line, column=column)


def text_line(e: UnicodeDecodeError) -> int:
    return e.object[:e.start].count(b"\n") + 1


# -- sidecars ------------------------------------------------------------------------------

def find_sidecar(path: Path, siblings: frozenset[str] | set[str] | None = None) -> Path | None:
    """`call.vtt.meta.yaml` (most specific) or `call.meta.yaml`, first that exists.
    `siblings`, the names of the files in the folder when the caller has listed it, answers
    "exists" without a stat per candidate (six per transcript)."""
    for base in (path.name, path.stem):
        for suffix in SIDECAR_SUFFIXES:
            name = base + suffix
            if siblings is not None:
                if name in siblings:
                    return path.with_name(name)
            elif path.with_name(name).is_file():
                return path.with_name(name)
    return None


def read_sidecar(path: Path) -> dict[str, str]:
    """A flat mapping of scalars; values become strings (dates in ISO form)."""
    text = ""
    try:
        text = read_bytes(path, MAX_YAML_BYTES).decode("utf-8-sig")
        if not text.strip():
            return {}
        data = json.loads(text) if path.suffix.casefold() == ".json" else safe_yaml.load(text)
    except OSError as e:
        raise MetadataError(f"cannot read sidecar: {e.strerror or e}", path=path) from None
    except UnicodeDecodeError as e:
        raise MetadataError("sidecar is not UTF-8", path=path, line=text_line(e)) from None
    except json.JSONDecodeError as e:
        raise MetadataError(f"invalid JSON: {e.msg}", path=path, line=e.lineno, column=e.colno) from None
    except RecursionError:   # JSON nested past Python's limit (YAML is limited by safe_yaml)
        raise MetadataError("nested too deeply to be a sidecar", path=path, line=1) from None
    except yaml.YAMLError as e:
        raise yaml_error(e, path, text) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MetadataError("a sidecar should be a mapping of metadata keys", path=path, line=1,
                            hint="e.g. rep: Dana Ruiz")
    out: dict[str, str] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            raise MetadataError(f"'{key}' should be a single value", path=path, line=_line_of(text, key),
                                key=str(key))
        out[str(key)] = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return out


def _line_of(text: str, key: Any) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if line.lstrip().lstrip('"').startswith(str(key)):
            return i
    return 1


# -- the file name -------------------------------------------------------------------------

def from_file_name(path: Path) -> dict[str, str]:
    """'2026-11-03_dana-ruiz_acme-discovery.vtt' -> started_at, rep, call_id (the stem)."""
    stem = path.stem
    m = FILE_NAME_PATTERN.match(stem)
    if not m:
        return {}
    when = m["date"] + (f"T{m['hour']}:{m['minute']}" if m["hour"] else "")
    rep = " ".join(w.capitalize() for w in re.split(r"[-.]", m["rep"]))
    return {"started_at": when, "rep": rep, "call_id": stem}


# -- values --------------------------------------------------------------------------------

def parse_started_at(value: Any, tz: tzinfo | None = None) -> datetime | None:
    """ISO 8601 text, a datetime or a date -> naive UTC datetime; None if unparseable. A time
    with an offset is converted; one without (and a bare date, at midnight) is a time in `tz`,
    the team's zone (None: UTC)."""
    dt = _datetime(value)
    if dt is None:
        return None
    if dt.tzinfo is None and tz is not None:
        dt = dt.replace(tzinfo=tz)
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


_OFFSET = re.compile(r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)\s*$")


def says_offset(text: str) -> bool:
    """Whether a started_at text ends in its own offset ('Z', '-05:00'): then no zone is
    needed to read it. A bare date never does ('2026-11-03' ends in '-03', not an offset)."""
    return len(text.strip()) > 10 and _OFFSET.search(text) is not None


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def started_at_source(hints: dict[str, Any], in_file: dict[str, Any],
                      from_name: dict[str, Any]) -> tuple[Any, bool]:
    """(the started_at value that wins, whether it is read in the team's zone): the hints'
    (calls.csv, sidecar, command line) and the file name's are; the file's own is not — it is
    UTC when it has no offset, because callcoach's JSON (what inspect writes) is naive UTC."""
    for layer, zoned in ((hints, True), (in_file, False), (from_name, True)):
        if layer.get("started_at") not in (None, ""):
            return layer["started_at"], zoned
    return None, False


def parse_duration(value: Any) -> float | None:
    """Seconds as a number, or a clock like 31:05 / 1:02:05."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if value >= 0 else None
    return parse_clock(str(value))


def check_hints(values: dict[str, str]) -> str | None:
    """The first bad value among manifest/sidecar fields, as a message; None when fine."""
    if "started_at" in values and parse_started_at(values["started_at"]) is None:
        return (f"started_at {values['started_at']!r} is not a date/time "
                "(use ISO 8601, e.g. 2026-11-03T14:30:00Z)")
    if "duration" in values and parse_duration(values["duration"]) is None:
        return f"duration {values['duration']!r} is not seconds or mm:ss"
    return None


def where_to_put(fields: list[str], path: Path) -> str:
    """The hint for missing fields: every place they could go."""
    keys = ", ".join(fields)
    places = [f"{'columns' if len(fields) > 1 else 'a column'} {keys} in {path.parent / MANIFEST} "
              f"(row file={path.name})",
              f"{keys} in a sidecar {path.name}.meta.yaml"]
    if set(fields) <= set(REQUIRED):
        places.append(f"a file name like 2026-11-03_dana-ruiz_acme-discovery{path.suffix}")
        flags = " ".join(f"--{f.replace('_', '-')} ..." for f in fields)
        places.append(f"{flags} on the command line of `callcoach score`")
    return "add " + ", or ".join(places)


def layered(*layers: dict[str, Any]) -> dict[str, Any]:
    """Merge metadata dicts, earlier layers winning, `extra` merged key by key."""
    out: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for layer in reversed(layers):
        for key, value in layer.items():
            if key == "extra":
                extra.update({strip_controls(str(k)): strip_controls(str(v))
                              for k, v in (value or {}).items()})
            elif value not in (None, ""):
                # third-party text: it must not act on the terminal that shows it
                out[key] = strip_controls(value) if isinstance(value, str) else value
    out["extra"] = extra
    return out


def split_known(values: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Manifest/sidecar pairs -> known fields plus `extra` for everything else."""
    out: dict[str, Any] = {"extra": {}}
    for key, value in values:
        if key in FIELDS:
            out[key] = value
        else:
            out["extra"][key] = value
    return out
