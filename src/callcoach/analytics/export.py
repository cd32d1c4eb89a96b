"""Export the store for BI tools: one table at a time as CSV, JSON Lines or Parquet.

    with Store("callcoach.db", must_exist=True) as store:
        export(store, "results", "parquet", "results.parquet")

Rows stream from the store a chunk at a time (a 100,000-call store has millions of moments),
and each table has a fixed, documented set of columns (docs/store.md), so a dashboard built
on one export keeps working on the next:

- `calls`: one row per scored call and rubric; its free metadata (`extra`, e.g. a manifest's
  `team` column) and talk metrics are spread into `extra_<key>` and `metric_<key>` columns.
- `results`: one row per call x criterion, with the call's rep, start and type repeated so a
  pivot needs no join; `score` empty = not applicable.
- `moments`: the evidence behind each result.

Parquet types timestamps as timestamps; CSV and JSON Lines keep `started_at` as ISO 8601
text, exactly as `score --format jsonl` prints it. CSV writes booleans as true/false and
null as an empty cell.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterator, TextIO

from callcoach.errors import CallcoachError, NotFoundError, UsageError
from callcoach.sanitize import CSVWriter
from callcoach.store import Store

TABLES = ("calls", "results", "moments")
FORMATS = ("csv", "jsonl", "parquet")
CHUNK = 20_000

# column -> type (str | float | int | bool | timestamp); the order is the export's order.
CALL_COLUMNS = {
    "call_id": "str", "rubric_id": "str", "rubric_version": "str", "rubric_hash": "str",
    "rep": "str", "started_at": "timestamp", "call_type": "str", "account": "str",
    "duration": "float", "overall": "float", "critical_failed": "bool", "source": "str",
    "content_hash": "str"}
RESULT_COLUMNS = {
    "call_id": "str", "rubric_id": "str", "rep": "str", "started_at": "timestamp",
    "call_type": "str", "criterion_id": "str", "position": "int", "score": "float",
    "passed": "bool", "reason": "str", "counts": "str"}
MOMENT_COLUMNS = {
    "call_id": "str", "rubric_id": "str", "criterion_id": "str", "seq": "int",
    "utterance": "int", "start": "float", "speaker": "str", "role": "str", "text": "str",
    "kind": "str", "matched": "str", "step": "str", "similarity": "float",
    "span_start": "int", "span_end": "int"}

_SQL = {
    "calls": """SELECT c.call_id, c.rubric_id, r.version, c.rubric_hash, c.rep, c.started_at,
                       c.call_type, c.account, c.duration, c.overall, c.critical_failed,
                       c.source, c.content_hash, c.extra, c.metrics
                FROM calls c LEFT JOIN rubrics r ON r.rubric_hash = c.rubric_hash {where}
                ORDER BY c.rubric_id, c.started_at, c.call_id""",
    "results": """SELECT c.call_id, c.rubric_id, c.rep, c.started_at, c.call_type,
                         x.criterion_id, x.position, x.score, x.passed, x.reason, x.counts
                  FROM results x JOIN calls c USING (call_id, rubric_id) {where}
                  ORDER BY c.rubric_id, c.started_at, c.call_id, x.position""",
    "moments": """SELECT m.call_id, m.rubric_id, m.criterion_id, m.seq, m.utterance, m.start,
                         m.speaker, m.role, m.text, m.kind, m.matched, m.step, m.similarity,
                         m.span_start, m.span_end
                  FROM moments m JOIN calls c USING (call_id, rubric_id)
                  JOIN results x USING (call_id, rubric_id, criterion_id) {where}
                  ORDER BY c.rubric_id, c.started_at, c.call_id, x.position, m.seq""",
}


def export(store: Store, table: str, fmt: str, out: str | Path | TextIO | None = None, *,
           rubric_id: str | None = None, raw: bool = False) -> int:
    """Write `table` of `store` to `out` (a path, an open text stream, or None for stdout;
    Parquet needs a path) in `fmt`. Returns the number of rows written. CSV cells that would
    run as spreadsheet formulas get a leading `'` unless `raw` (`sanitize.csv_cell`)."""
    check_request(table, fmt, out)
    if rubric_id is not None and store.query(
            "SELECT 1 FROM calls WHERE rubric_id = ? LIMIT 1", (rubric_id,)).fetchone() is None:
        ids = [r[0] for r in store.query("SELECT DISTINCT rubric_id FROM calls ORDER BY 1")]
        raise NotFoundError(f"no calls scored with rubric {rubric_id!r}",
                            hint=f"rubrics in this store: {', '.join(ids) or 'none'}")
    columns = columns_of(store, table, rubric_id)
    chunks = rows(store, table, rubric_id)
    if fmt == "parquet":
        return _write_parquet(chunks, columns, Path(out))
    if isinstance(out, (str, Path)):
        try:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                return _write_text(chunks, columns, fmt, stream, raw)
        except OSError as e:
            raise CallcoachError(f"cannot write {out}: {e.strerror}", path=out) from e
    return _write_text(chunks, columns, fmt, out if out is not None else sys.stdout, raw)


def check_request(table: str, fmt: str, out: str | Path | TextIO | None) -> None:
    """Usage errors (exit 2) before any store is opened."""
    if table not in TABLES:
        raise UsageError(f"no table {table!r} to export", key="--table",
                         hint=f"use one of: {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", key="--format",
                         hint="use --format csv, jsonl or parquet")
    if fmt == "parquet" and not isinstance(out, (str, Path)):
        raise UsageError("parquet is a binary file format: give it a file", key="--out",
                         hint="add --out results.parquet")


def columns_of(store: Store, table: str, rubric_id: str | None = None) -> dict[str, str]:
    """The export's columns and their types; for `calls`, the fixed ones plus one per free
    metadata key and talk metric found in the store."""
    if table == "results":
        return dict(RESULT_COLUMNS)
    if table == "moments":
        return dict(MOMENT_COLUMNS)
    columns = dict(CALL_COLUMNS)
    for field, prefix, kind in (("extra", "extra_", "str"), ("metrics", "metric_", "float")):
        for key in store.json_keys(field, rubric_id):
            columns[prefix + key] = kind
    return columns


def rows(store: Store, table: str, rubric_id: str | None = None) -> Iterator[list[dict]]:
    """The table's rows as dicts (Python values, timestamps as datetime), a chunk at a time."""
    where, args = ("WHERE c.rubric_id = ?", (rubric_id,)) if rubric_id else ("", ())
    names = list({"calls": CALL_COLUMNS, "results": RESULT_COLUMNS,
                  "moments": MOMENT_COLUMNS}[table])
    for batch in store.stream(_SQL[table].format(where=where), args, CHUNK):
        chunk = []
        for values in batch:
            if table == "calls":
                extra, metrics = json.loads(values[-2]), json.loads(values[-1])
                row = dict(zip(names, values[:-2]))
                row.update({f"extra_{k}": v for k, v in extra.items()})
                row.update({f"metric_{k}": v for k, v in metrics.items()})
            else:
                row = dict(zip(names, values))
            if "started_at" in row:
                row["started_at"] = datetime.fromisoformat(row["started_at"])
            for key in ("critical_failed", "passed"):
                if row.get(key) is not None:
                    row[key] = bool(row[key])
            chunk.append(row)
        yield chunk


def _text(value, kind: str) -> str | int | float | bool | None:
    if value is None:
        return None
    if kind == "timestamp":
        return value.isoformat()
    if kind == "float":
        return float(value)
    return value


def _write_text(chunks: Iterator[list[dict]], columns: dict[str, str], fmt: str,
                stream: TextIO, raw: bool = False) -> int:
    n = 0
    if fmt == "csv":
        writer = CSVWriter(stream, raw=raw)
        writer.writerow(columns)
    for chunk in chunks:
        for row in chunk:
            values = {c: _text(row.get(c), kind) for c, kind in columns.items()}
            if fmt == "csv":
                writer.writerow("" if v is None else ("true" if v else "false")
                                if isinstance(v, bool) else v for v in values.values())
            else:
                stream.write(json.dumps(values, ensure_ascii=False) + "\n")
        n += len(chunk)
    return n


def _write_parquet(chunks: Iterator[list[dict]], columns: dict[str, str], out: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CallcoachError("exporting Parquet needs pyarrow, which is not installed",
                             hint="pip install 'callcoach[parquet]'") from None
    types = {"str": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(),
             "timestamp": pa.timestamp("us")}
    schema = pa.schema([(c, types[kind]) for c, kind in columns.items()])
    n = 0
    try:
        with pq.ParquetWriter(out, schema) as writer:
            for chunk in chunks:
                writer.write_table(pa.Table.from_pylist(
                    [{c: _parquet(row.get(c), kind) for c, kind in columns.items()}
                     for row in chunk], schema=schema))
                n += len(chunk)
            if n == 0:
                writer.write_table(schema.empty_table())
    except OSError as e:
        raise CallcoachError(f"cannot write {out}: {e}", path=out) from e
    return n


def _parquet(value, kind: str):
    if value is None:
        return None
    return float(value) if kind == "float" else value
