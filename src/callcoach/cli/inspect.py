"""callcoach inspect: what callcoach understood of transcript files, before scoring them."""
from __future__ import annotations

import json
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.text import Text

from callcoach import zones
from callcoach.cli.options import (InputFormatOption, RosterOption, TzOption, color_stdout,
                                   format_option)
from callcoach.errors import NotATranscript, TranscriptError
from callcoach.fmt import clock, plural, shorten
from callcoach.render import formats
from callcoach.render.tables import Column, print_to, table
from callcoach.sanitize import printable
from callcoach.transcript import Transcript

NAME = "inspect"
FormatOption = format_option(
    formats.INSPECT, " (json: one object; a list for several files or a folder; jsonl: one "
                     "object per line)")
TURNS_SHOWN = 20     # table view: the first turns of each file, unless --all
TEXT_SHOWN = 240     # table view: characters of each turn's text, unless --all


def command(
    paths: Annotated[list[Path], typer.Argument(
        help="Transcript files or folders (searched recursively); - reads standard input.",
        show_default=False, metavar="FILE...")],
    fmt: FormatOption = "table",
    input_format: InputFormatOption = None,
    roster: RosterOption = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Table view: show every turn, in full.")] = False,
    tz: TzOption = None,
) -> int:
    """Show what callcoach reads from transcript files: the format it detected, the call's
    metadata, the speakers with their roles (rep, prospect, other), and the turns with
    timestamps. Files need no metadata to be inspected; what scoring would still need is
    printed as a warning. A file that cannot be read prints one error line (file, line or
    JSON path, reason) on stderr; the others are still shown, and the exit code is 1.

    \b
    Example:
      callcoach inspect examples/calls/2026-10-05_mc_highland-dental-group_discovery.vtt
      callcoach inspect examples/calls/ --format jsonl
      callcoach inspect examples/calls/2026-10-06_lo_hollis-distribution_discovery.json --input-format callcoach --format json
      cat examples/calls/2026-10-05_dr_timberline-hotels_discovery.txt | callcoach inspect -
    """
    from callcoach.ingest import STDIN, inspect_paths, skipped_note   # readers load only when run

    color = color_stdout()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    shown: list[dict] = []
    failed = 0
    skipped: list[NotATranscript] = []
    zone = zones.zone(tz)
    stdin = sys.stdin.buffer.read() if any(str(p) == STDIN for p in paths) else None
    for item in inspect_paths(paths, input_format=input_format, roster=roster,
                              tz=zones.name_of(zone), stdin=stdin):
        if isinstance(item, NotATranscript):   # a folder's notes: one quiet line at the end
            skipped.append(item)
            continue
        if isinstance(item, TranscriptError):
            failed += 1
            err.print(Text(f"error: {item}", style="red"))
            continue
        transcript, warnings = item
        if fmt == "table":
            _print_table(sys.stdout, transcript, warnings, show_all, color, zone)
        else:
            record = transcript.to_dict()
            record["warnings"] = warnings
            if fmt == "jsonl":
                typer.echo(json.dumps(record, ensure_ascii=False))
            else:
                shown.append(record)
    if skipped:
        err.print(Text(skipped_note(skipped), style="dim"))
    if fmt == "json":
        single = len(paths) == 1 and (str(paths[0]) == STDIN or paths[0].is_file())
        if not (single and not shown):
            body = shown[0] if single else shown
            typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def _print_table(out: TextIO, t: Transcript, warnings: list[str], show_all: bool,
                 color: bool, zone: tzinfo) -> None:
    m = t.meta
    extra = "; ".join(f"{k}={shorten(v, 60)}" for k, v in m.extra.items())
    facts = [[name, Text(str(value)) if value else Text("—", style="dim")]
             for name, value in (("call_id", m.call_id), ("rep", m.rep),
                                 ("started_at", _started(m.started_at, zone)),
                                 ("call_type", m.call_type), ("account", m.account),
                                 ("duration", clock(t.duration) or None), ("extra", extra or None))]
    turns: dict[str, int] = {}
    words: dict[str, int] = {}
    for u in t.utterances:
        turns[u.speaker] = turns.get(u.speaker, 0) + 1
        words[u.speaker] = words.get(u.speaker, 0) + len(u.text.split())
    speakers = table([Column("speaker"), Column("role"), Column("turns", "right"),
                      Column("words", "right")],
                     [[name, role, str(turns[name]), str(words[name])]
                      for name, role in t.speakers.items()],
                     title=plural(len(turns), "speaker"))
    limit = len(t.utterances) if show_all else TURNS_SHOWN
    shown = table([Column("#", "right"), Column("start", "right"), Column("speaker"),
                   Column("role"), Column("text", ratio=1)],
                  [[str(u.index), clock(u.start), u.speaker, u.role,
                    u.text if show_all else shorten(u.text, TEXT_SHOWN)]
                   for u in t.utterances[:limit]],
                  title=plural(len(t.utterances), "turn"))
    parts = [Text.assemble((printable(t.source or ""), "bold"), f"  ({t.source_format})"),
             table([Column(""), Column("")], facts, header=False)]
    parts += [Text(f"warning: {w}", style="yellow") for w in warnings]
    parts += [speakers, shown]
    hidden = len(t.utterances) - limit
    if hidden > 0:
        parts.append(Text(f"… {plural(hidden, 'more turn')} (--all shows them)", style="dim"))
    print_to(out, *parts, Text(""), color=color)


def _started(started_at: datetime | None, zone: tzinfo) -> str | None:
    """'2026-11-03 09:30:00 America/New_York (14:30:00 UTC)': the team's time, and the
    instant as stored."""
    if started_at is None:
        return None
    name = zones.name_of(zone)
    shown = f"{zones.in_zone(started_at, zone):%Y-%m-%d %H:%M:%S} {name}"
    return shown if name == "UTC" else f"{shown} ({started_at:%Y-%m-%d %H:%M:%S} UTC)"
