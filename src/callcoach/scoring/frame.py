"""Scoring a batch of transcripts held in a pandas DataFrame, for teams that already run Dask
or Spark: a pure function from a DataFrame of calls to a DataFrame of criterion results,
usable as is from `dask.dataframe.map_partitions` and from Spark's `mapInPandas`
(docs/cluster.md has both).

A row of the input is one call, in either shape:
- the `inspect --format json` fields: call_id, rep, started_at, and optionally call_type,
  account, duration, extra (a dict), source; `utterances`, a list of {index, speaker, role,
  start, end, text} dicts (`extra` and `utterances` may also be JSON text, as a Spark or
  Dask string column holds them);
- raw bytes: `content` (the file's bytes) and `format` (a reader: vtt, srt, text, json, ...,
  or None to guess from `name`), `name` (the file name, whose date, rep and call id count as
  metadata like a file's), and any metadata columns (call_id, rep, started_at, call_type,
  account), which win over what the file says.

The output has one row per call and criterion, with the columns of `RESULTS` (the export's
`results` table, docs/store.md, plus overall, critical_failed, rubric_hash and the moments as
JSON); a call that cannot be read gives one row with `error` set and no criterion.

    results = score_frame(calls, "rubrics/five-step-discovery.yaml")
    ddf.map_partitions(score_frame, rubric, meta=META)
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from callcoach.errors import CallcoachError
from callcoach.rubric.model import Rubric
from callcoach.transcript import CallMeta, Transcript, Utterance

RESULTS = {
    "call_id": "object", "rubric_id": "object", "rubric_hash": "object", "rep": "object",
    "started_at": "datetime64[ns]", "call_type": "object", "overall": "float64",
    "critical_failed": "bool", "criterion_id": "object", "position": "Int64",
    "score": "float64", "passed": "boolean", "reason": "object", "counts": "object",
    "moments": "object", "error": "object"}
META = pd.DataFrame({c: pd.Series(dtype=t) for c, t in RESULTS.items()})

_compiled: dict[str, Any] = {}   # rubric hash -> compiled rubric, once per process


def score_frame(calls: pd.DataFrame, rubric: Rubric | str | Path) -> pd.DataFrame:
    """One row per call x criterion for the calls in `calls` (see the module doc)."""
    from callcoach.scoring.batch import resolve_rubric
    from callcoach.scoring.compile import compile_rubric
    from callcoach.scoring.engine import score_transcript

    model = resolve_rubric(rubric)
    compiled = _compiled.get(model.content_hash)
    if compiled is None:
        compiled = _compiled[model.content_hash] = compile_rubric(model)
    rows: list[dict] = []
    for record in calls.to_dict("records"):
        try:
            score = score_transcript(_transcript(record), compiled)
        except CallcoachError as e:
            rows.append({"call_id": record.get("call_id") or record.get("name"),
                         "rubric_id": model.rubric, "rubric_hash": model.content_hash,
                         "error": str(e)})
            continue
        m = score.meta
        for position, r in enumerate(score.results):
            rows.append({
                "call_id": m.call_id, "rubric_id": score.rubric_id,
                "rubric_hash": score.rubric_hash, "rep": m.rep, "started_at": m.started_at,
                "call_type": m.call_type, "overall": score.overall,
                "critical_failed": score.critical_failed, "criterion_id": r.id,
                "position": position, "score": r.score, "passed": r.passed,
                "reason": r.reason, "counts": json.dumps(r.counts, sort_keys=True),
                "moments": json.dumps([mo.to_dict() for mo in r.moments]), "error": None})
    frame = pd.DataFrame.from_records(rows, columns=list(RESULTS))
    return frame.astype(RESULTS)


def _transcript(record: dict) -> Transcript:
    if record.get("content") is not None:
        return _from_bytes(record)
    meta = CallMeta(record["call_id"], record["rep"], _when(record["started_at"]),
                    _opt(record.get("call_type")), _opt(record.get("account")),
                    _opt(record.get("duration")), dict(_json(record.get("extra")) or {}))
    utterances = [Utterance(int(u["index"]), u["speaker"], u["text"], u["role"],
                            _opt(u.get("start")), _opt(u.get("end")))
                  for u in _json(record["utterances"])]
    return Transcript(meta, utterances, source=_opt(record.get("source")))


def _from_bytes(record: dict) -> Transcript:
    from callcoach.ingest import _parse, build
    from callcoach.readers.base import Document

    path = Path(record.get("name") or record.get("call_id") or "call")
    content = record["content"]
    doc = Document(path, content if isinstance(content, bytes) else str(content).encode())
    parsed, fmt = _parse(doc, _opt(record.get("format")))
    hints = {k: _hint(record[k]) for k in ("call_id", "rep", "started_at", "call_type",
                                             "account") if _opt(record.get(k)) is not None}
    transcript = build(path, parsed, hints, None, True)
    transcript.source, transcript.source_format = str(path), fmt
    return transcript


def _json(value):
    # Nested columns may come as JSON text (a Spark or Dask string column) or as values.
    return json.loads(value) if isinstance(value, str) else value


def _when(value) -> datetime:
    when = pd.Timestamp(value)
    if when.tzinfo is not None:
        when = when.tz_convert("UTC").tz_localize(None)
    return when.to_pydatetime()


def _hint(value) -> str:
    return value.isoformat() if isinstance(value, (datetime, pd.Timestamp)) else str(value)


def _opt(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value
