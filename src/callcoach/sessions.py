"""The coaching session log: who was coached on which criterion, when, on which calls.

A session is identified by rep + criterion + date: logging the same one twice (by hand or by
re-importing a team's CSV of 1:1s) adds nothing. Everything is validated against what the store
knows: the rubric's criteria, the reps and the calls that were scored.
"""
from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Iterable

from callcoach import zones
from callcoach.errors import CallcoachError, NotFoundError, UsageError
from callcoach.files import read_bytes
from callcoach.rubric.model import Rubric
from callcoach.sanitize import CSVWriter, csv_value, strip_controls
from callcoach.store import Session, Store
from callcoach.suggest import hint

CSV_COLUMNS = ("rep", "criterion", "held_on", "calls", "notes")
CSV_REQUIRED = ("rep", "criterion", "held_on")
CSV_ALIASES = {"date": "held_on"}
# `session list --format csv` leads with the id `session delete` takes; importing that list
# elsewhere ignores it (an id belongs to the store it came from).
CSV_IGNORED = ("id",)


def _suggest(word: str, options: Iterable[str], noun: str) -> str:
    options = sorted(set(options))
    shown = ", ".join(options[:8]) + (", ..." if len(options) > 8 else "")
    return hint(word, options) or f"known {noun}: {shown or 'none'}"


@dataclass(frozen=True, slots=True)
class Catalog:
    """What a session may name: the rubric's criteria, the scored reps and their calls.
    Reps and criteria resolve as everywhere else (analytics.lookup): exact, then by
    case or by criterion name, else an error with a "did you mean"."""

    store: Store
    rubric_id: str
    rubric: Rubric
    call_rep: dict[str, str]
    rubric_note: str | None = None   # the rubric was picked among several: why this one

    @classmethod
    def load(cls, store: Store, rubric_id: str | None = None) -> "Catalog":
        from callcoach.analytics import lookup

        stored = lookup.scored_rubric(store, rubric_id)
        calls = {call_id: rep for call_id, rep in store.query(
            "SELECT call_id, rep FROM calls WHERE rubric_id = ?", (stored.rubric_id,))}
        return cls(store, stored.rubric_id, stored.rubric, calls, stored.note)

    def check_rep(self, rep: str, **where) -> str:
        from callcoach.analytics import lookup
        with _located(**where):
            return lookup.resolve_rep(self.store, self.rubric_id, rep)

    def check_criterion(self, criterion: str, **where) -> str:
        from callcoach.analytics import lookup
        with _located(**where):
            return lookup.resolve_criterion(self.rubric, criterion).id

    def check_calls(self, calls: Iterable[str], rep: str, *,
                    unknown: list[CallcoachError] | None = None, **where) -> tuple[str, ...]:
        """The call ids, deduplicated. A call of another rep is an error; a call the store does
        not hold is an error too, unless `unknown` collects it (an imported log may cite calls
        that were never scored: the id is kept, as the team logged it)."""
        checked: list[str] = []
        for call_id in calls:
            owner = self.call_rep.get(call_id)
            if owner is None:
                mine = [c for c, r in self.call_rep.items() if r == rep]
                problem = NotFoundError(f"no scored call {call_id!r}", key="calls",
                                        hint=_suggest(call_id, mine, f"calls of {rep}"), **where)
                if unknown is None:
                    raise problem
                unknown.append(problem)
            elif owner != rep:
                raise UsageError(f"call {call_id!r} is {owner}'s, not {rep}'s", key="calls",
                                 hint="list only calls of the coached rep", **where)
            if call_id not in checked:
                checked.append(call_id)
        return tuple(checked)


@contextmanager
def _located(path=None, line=None):
    """Give an error raised without a place (a lookup) the file and line of the row."""
    try:
        yield
    except CallcoachError as e:
        e.path = str(path) if path is not None and e.path is None else e.path
        e.line = line if e.line is None else e.line
        raise


def parse_held_on(text: str, *, not_after: date | None = None, **where) -> date:
    """A session date: ISO `YYYY-MM-DD` (a full ISO timestamp is cut to its date). A date
    after `not_after` (today) is refused: a session is logged once it was held, and a typo'd
    year would otherwise sit in progress as a session that never happened."""
    text = text.strip()
    try:
        day = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        raise UsageError(f"{text!r} is not a date", key="held_on",
                         hint="write dates as YYYY-MM-DD, e.g. 2026-11-03", **where) from None
    check_not_future(day, not_after, **where)
    return day


def check_not_future(day: date, not_after: date | None, **where) -> None:
    if not_after is not None and day > not_after:
        raise UsageError(f"session date {day} is in the future (today is {not_after})",
                         key="held_on", hint="log a session once it is held; --force logs "
                                             "it anyway", **where)


def split_calls(text: str | None, sep: str) -> list[str]:
    return [c.strip() for c in (text or "").split(sep) if c.strip()]


def find_session(store: Store, rep: str, rubric_id: str, criterion_id: str,
                 held_on: date) -> Session | None:
    """The session already logged for this rep, criterion and day, if any."""
    for s in store.sessions(rep, rubric_id):
        if s.criterion_id == criterion_id and s.held_on == held_on.isoformat():
            return s
    return None


@dataclass(frozen=True, slots=True)
class Logged:
    """The outcome of `log_session`: the session, and where its defaults came from."""

    session: Session
    created: bool                       # False: the same rep+criterion+date was already logged
    from_select: tuple[str, ...] = ()   # which of "criterion", "calls" came from select
    rubric_note: str | None = None      # the rubric was picked among several: why this one


def log_session(store: Store, rep: str, *, held_on: date, criterion_id: str | None = None,
                calls: Iterable[str] | None = None, notes: str | None = None,
                rubric_id: str | None = None, source: str = "cli",
                tz: tzinfo | None = None, not_after: date | None = None) -> Logged:
    """Record one coaching session. Without a criterion (or calls) the session coaches what
    `select` picks for the rep as of the end of the session day (in `tz`, the team's zone;
    None: UTC): its criterion and calls. `not_after` (today): a later `held_on` is refused."""
    # analytics (pandas) loads here, not when `callcoach session list` starts
    from callcoach.analytics.selection import select

    check_not_future(held_on, not_after)
    catalog = Catalog.load(store, rubric_id)
    rep = catalog.check_rep(rep)
    if criterion_id is not None:
        criterion_id = catalog.check_criterion(criterion_id)
    defaulted: list[str] = []
    if criterion_id is None or calls is None:
        try:
            selection = select(
                store, rep, as_of=zones.end_of_day(held_on, tz), rubric_id=catalog.rubric_id)
        except CallcoachError:
            if criterion_id is None:
                raise
            selection = None  # only the default calls were wanted: log the session without them
        picked = selection.criterion_id if selection is not None else None
        if criterion_id is None:
            if picked is None:
                raise NotFoundError(
                    f"select found nothing to coach for {rep} as of {held_on}: "
                    f"{selection.message}", hint="name the criterion with --criterion")
            criterion_id = picked
            defaulted.append("criterion")
        if calls is None:
            calls = []
            # The chosen calls are evidence for select's criterion, not for another one.
            if picked == criterion_id:
                calls = [c.call_id for c in selection.chosen]
                defaulted.append("calls")
    checked = catalog.check_calls(calls, rep)
    existing = find_session(store, rep, catalog.rubric_id, criterion_id, held_on)
    if existing is not None:
        return Logged(existing, False, tuple(defaulted), catalog.rubric_note)
    added = _add(store, rep, catalog.rubric_id, criterion_id, held_on, checked, notes or None,
                 source)
    return Logged(added, True, tuple(defaulted), catalog.rubric_note)


def _add(store: Store, rep: str, rubric_id: str, criterion_id: str, held_on: date,
         calls: tuple[str, ...], notes: str | None, source: str) -> Session:
    """Store one session and return it as `store.sessions()` would read it back, built from
    the values just written (re-reading every session per added row made import quadratic).
    Notes and call ids are third-party text: nothing in them may act on a terminal."""
    notes = strip_controls(notes) if notes else notes
    calls = tuple(strip_controls(c) for c in calls)
    sid = store.add_session(rep, rubric_id, criterion_id, held_on.isoformat(), calls, notes,
                            source)
    return Session(sid, rep, rubric_id, criterion_id, held_on.isoformat(), tuple(calls), notes,
                   source)


@dataclass(slots=True)
class ImportReport:
    added: list[Session] = field(default_factory=list)
    already: list[tuple[int, Session]] = field(default_factory=list)  # (line, logged session)
    errors: list[CallcoachError] = field(default_factory=list)        # one per bad row
    warnings: list[CallcoachError] = field(default_factory=list)      # imported, but see these
    rubric_id: str | None = None
    rubric_note: str | None = None    # the rubric was picked among several: why this one

    @property
    def rows(self) -> int:
        return len(self.added) + len(self.already) + len(self.errors)


def import_sessions(store: Store, path: str | Path, *, rubric_id: str | None = None,
                    text: str | None = None, not_after: date | None = None) -> ImportReport:
    """Import a CSV of sessions (`rep,criterion,held_on,calls,notes`; calls separated by `;`;
    `date` is accepted for `held_on`; the delimiter may be `,` `;` or tab, as in every CSV
    callcoach reads; a row dated after `not_after` is a bad row). Every bad row is reported
    with its line; good rows are
    stored; a row already logged (same rep + criterion + date) is skipped, so re-importing the
    same file adds nothing. A cited call the store does not hold is a warning, not a bad row.
    A file whose header is unusable raises instead."""
    path = Path(path)
    if text is None:
        try:
            text = read_bytes(path).decode("utf-8-sig")
        except OSError as e:
            raise UsageError(f"cannot read {path}: {e.strerror or e}", path=path,
                             hint="pass a UTF-8 CSV file") from None
        except UnicodeDecodeError as e:
            raise UsageError(f"cannot read {path}: not UTF-8 (byte {e.start})", path=path,
                             hint="save it as UTF-8") from None
    catalog = Catalog.load(store, rubric_id)
    from callcoach.readers.csv import delimiter

    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter(text.split("\n", 1)[0]))
    header = _header(next(reader, None), path)
    report = ImportReport(rubric_id=catalog.rubric_id, rubric_note=catalog.rubric_note)
    line = reader.line_num + 1
    for row in reader:
        start, line = line, reader.line_num + 1   # a quoted note may span lines
        if not any(cell.strip() for cell in row):
            continue
        where = {"path": path, "line": start}
        try:
            if len(row) > len(header):
                raise UsageError(f"{len(row)} fields, the header has {len(header)}",
                                 hint="quote notes that contain commas", **where)
            record = dict(zip(header, [csv_value(c.strip()) for c in row]))
            for column in CSV_REQUIRED:
                if not record.get(column):
                    raise UsageError(f"empty {column}", key=column,
                                     hint=f"every row needs {', '.join(CSV_REQUIRED)}", **where)
            rep = catalog.check_rep(record["rep"], **where)
            criterion = catalog.check_criterion(record["criterion"], **where)
            held_on = parse_held_on(record["held_on"], not_after=not_after, **where)
            unknown: list[CallcoachError] = []
            calls = catalog.check_calls(split_calls(record.get("calls"), ";"), rep,
                                        unknown=unknown, **where)
        except CallcoachError as e:
            report.errors.append(e)
            continue
        report.warnings.extend(unknown)
        existing = find_session(store, rep, catalog.rubric_id, criterion, held_on)
        if existing is not None:
            report.already.append((start, existing))
            continue
        report.added.append(_add(store, rep, catalog.rubric_id, criterion, held_on, calls,
                                 record.get("notes") or None, f"import:{path.name}"))
    return report


def sessions_csv(sessions: Iterable[Session], *, raw: bool = False) -> str:
    """The sessions in the import format (`CSV_COLUMNS`) after their id, so a list can be
    edited and imported elsewhere, and an id found for `session delete` (`raw`: notes exactly
    as stored, without the formula guard)."""
    buf = io.StringIO()
    writer = CSVWriter(buf, raw=raw)
    writer.writerow(CSV_IGNORED + CSV_COLUMNS)
    for s in sessions:
        writer.writerow([s.id, s.rep, s.criterion_id, s.held_on, ";".join(s.calls),
                         s.notes or ""])
    return buf.getvalue()


def _header(row: list[str] | None, path: Path) -> list[str]:
    if not row:
        raise UsageError(f"{path} is empty", path=path,
                         hint=f"the first line names the columns: {','.join(CSV_COLUMNS)}")
    header = []
    for col, raw in enumerate(row, start=1):
        name = CSV_ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if name not in CSV_COLUMNS + CSV_IGNORED:
            raise UsageError(f"unknown column {raw.strip()!r}", path=path, line=1, column=col,
                             key=raw.strip(),
                             hint=_suggest(name, CSV_COLUMNS + tuple(CSV_ALIASES), "columns"))
        if name in header:
            raise UsageError(f"column {name!r} appears twice", path=path, line=1, column=col,
                             key=name)
        header.append(name)
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise UsageError(f"missing column(s) {', '.join(missing)}", path=path, line=1,
                         hint=f"the header is {','.join(CSV_COLUMNS)} (calls and notes optional)")
    return header
