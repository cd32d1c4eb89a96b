"""`callcoach export` and analytics/export.py: fixed columns, streaming, every format."""
from __future__ import annotations

import builtins
import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from callcoach.analytics import export as export_module
from callcoach.analytics.export import export
from callcoach.cli.app import app
from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.store import Store
from callcoach.transcript import CallMeta, Utterance


def call(call_id: str, started_at: str, *, rubric_id: str = "demo", greeted: bool = True,
         objection: bool = False) -> CallScore:
    meta = CallMeta(call_id, "ana", datetime.fromisoformat(started_at), "discovery",
                    extra={"team": "north"})
    hello = [Moment(0, 1.5, "Ana", "rep", "Hello, Bo!", matched="hello", similarity=100.0,
                    span=(0, 5))] if greeted else []
    results = [
        CriterionResult("greeting", 1.0 if greeted else 0.0, greeted,
                        "greeted at 00:01" if greeted else "no greeting", hello),
        CriterionResult("objection", 0.5 if objection else None,
                        False if objection else None,
                        "1 of 2 steps" if objection else "no objection raised",
                        counts={"triggers": int(objection)})]
    return CallScore(meta, rubric_id, "1", "h1", 75.0 if objection else 100.0, False, results,
                     {"rep_talk_ratio": 0.5}, f"/calls/{call_id}.txt", "f" + call_id)


@pytest.fixture
def db(new_db, tmp_path):
    path = new_db("s")
    with Store(path) as store:
        store.save_rubric("demo", "h1", "1", "Demo", {"rubric": "demo"})
        store.save_calls([
            (call("c2", "2026-03-02T09:00", objection=True), [Utterance(0, "Ana", "Hello")]),
            (call("c1", "2026-03-01T09:00", greeted=False), None)])
    return path


def test_results_csv_is_one_row_per_call_and_criterion(db):
    result = CliRunner().invoke(app, ["export", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "call_id,rubric_id,rep,started_at,call_type,criterion_id,position,score,passed,reason,"
        "counts\n"
        "c1,demo,ana,2026-03-01T09:00:00,discovery,greeting,0,0.0,false,no greeting,{}\n"
        'c1,demo,ana,2026-03-01T09:00:00,discovery,objection,1,,,no objection raised,'
        '"{""triggers"": 0}"\n'
        "c2,demo,ana,2026-03-02T09:00:00,discovery,greeting,0,1.0,true,greeted at 00:01,{}\n"
        'c2,demo,ana,2026-03-02T09:00:00,discovery,objection,1,0.5,false,1 of 2 steps,'
        '"{""triggers"": 1}"\n')


def test_calls_jsonl_spreads_extra_and_metrics(db, tmp_path):
    out = tmp_path / "calls.jsonl"
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--table", "calls",
                                      "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"exported 2 calls rows to {out}\n"
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0] == {
        "call_id": "c1", "rubric_id": "demo", "rubric_version": "1", "rubric_hash": "h1",
        "rep": "ana", "started_at": "2026-03-01T09:00:00", "call_type": "discovery",
        "account": None, "duration": None, "overall": 100.0, "critical_failed": False,
        "source": "/calls/c1.txt", "content_hash": "fc1", "extra_team": "north",
        "metric_rep_talk_ratio": 0.5}


def test_moments_follow_criterion_order(db):
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--table", "moments",
                                      "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["call_id"], r["criterion_id"], r["text"], r["span_start"]) for r in rows] == [
        ("c2", "greeting", "Hello, Bo!", 0)]


def test_parquet_keeps_types(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "r.parquet"
    with Store(db) as store:
        assert export(store, "results", "parquet", out) == 4
    table = pq.read_table(out)
    assert str(table.schema.field("started_at").type) == "timestamp[us]"
    assert table.column("score").to_pylist() == [0.0, None, 1.0, 0.5]
    assert table.column("passed").to_pylist() == [False, None, True, False]


def test_parquet_without_pyarrow_says_what_to_install(db, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "parquet",
                                      "--out", str(tmp_path / "x.parquet")])
    assert result.exit_code == 1
    assert result.stderr == ("error: exporting Parquet needs pyarrow, which is not installed "
                             "(pip install 'callcoach[parquet]')\n")


def test_rubric_id_filters_and_is_checked(db):
    with Store(db) as store:
        store.save_calls([(call("c9", "2026-03-05T09:00", rubric_id="other"), None)])
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--table", "calls",
                                      "--rubric-id", "other"])
    assert [line.split(",")[0] for line in result.stdout.splitlines()] == ["call_id", "c9"]
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--rubric-id", "nope"])
    assert result.exit_code == 1
    assert result.stderr == ("error: no calls scored with rubric 'nope' (rubrics in this store: "
                             "demo, other)\n")


def test_streams_in_chunks(db, monkeypatch):
    monkeypatch.setattr(export_module, "CHUNK", 1)
    with Store(db) as store:
        assert [len(c) for c in export_module.rows(store, "results")] == [1, 1, 1, 1]


@pytest.mark.parametrize("args, message", [
    pytest.param(["--format", "xlsx"], "'xlsx' is not one of 'csv', 'jsonl', 'parquet'",
                 id="format"),
    pytest.param(["--table", "reps"], "'reps' is not one of 'calls', 'results', 'moments'",
                 id="table"),
    pytest.param(["--format", "parquet"], "parquet is a binary file format: give it a file "
                                          "(add --out results.parquet)", id="parquet-stdout"),
])
def test_usage_errors(tmp_path, args, message):
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "none.db"), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_no_store(tmp_path):
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no store at {tmp_path / 'none.db'}")
