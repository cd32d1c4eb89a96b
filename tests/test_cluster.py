"""Scoring on a Dask cluster (scoring/cluster.py) and the DataFrame entry point
(scoring/frame.py): a 2-worker LocalCluster on 127.0.0.1, started once for the module, scores
the bundled examples into the store bit for bit as `--jobs 2` does, on both backends."""
from __future__ import annotations

import builtins
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.ingest import discover
from callcoach.scoring.frame import META, RESULTS, score_frame
from callcoach.store import Store

ROOT = Path(__file__).resolve().parents[1]
CALLS = ROOT / "examples" / "calls"
RUBRIC = ROOT / "rubrics" / "five-step-discovery.yaml"


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of two single-threaded worker processes."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed "
                                                            "(pip install -e '.[test]' installs it)")
    import logging
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def score(db: str, *args: str):
    return CliRunner().invoke(app, ["score", str(CALLS), "-r", str(RUBRIC), "--db", db,
                                    "--format", "jsonl", *args])


def exported(db: str) -> dict[str, str]:
    return {t: CliRunner().invoke(app, ["export", "--table", t, "--format", "jsonl",
                                        "--db", db]).stdout
            for t in ("calls", "results", "moments")}


def test_the_cluster_stores_what_jobs_2_stores_bit_for_bit(scheduler, new_db):
    on_cluster = score(new_db("cluster"), "--cluster", scheduler)
    local = score(new_db("local"), "--jobs", "2")
    assert on_cluster.exit_code == local.exit_code == 0, on_cluster.output
    assert on_cluster.stderr.startswith("scored 128, unchanged 0, errors 0 (")
    assert on_cluster.stdout == local.stdout and len(on_cluster.stdout.splitlines()) == 128
    assert exported(new_db("cluster")) == exported(new_db("local"))
    again = score(new_db("cluster"), "--cluster", scheduler)   # nothing changed: all skipped
    assert again.stderr.startswith("scored 0, unchanged 128, errors 0 (")
    assert again.stdout == local.stdout


def test_local_n_starts_and_stops_its_own_cluster(tmp_path):
    pytest.importorskip("distributed")
    fixtures = Path(__file__).parent / "fixtures" / "score"
    result = CliRunner().invoke(app, ["score", str(fixtures / "calls"), "-r",
                                      str(fixtures / "rubric.yaml"), "--db",
                                      str(tmp_path / "s.db"), "--cluster", "local:2", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("scored 4, unchanged 0, errors 0 (")


@pytest.mark.parametrize("args, message", [
    (["--cluster", "local:0"], "error: --cluster 'local:0': local:N needs a number of workers "
                               "(e.g. --cluster local:2)\n"),
    (["--cluster", "scheduler"], "error: --cluster 'scheduler' is not a scheduler address or "
                                 "local:N (e.g. --cluster tcp://scheduler:8786 or --cluster "
                                 "local:2)\n"),
    (["--cluster", "local:2", "--jobs", "2"], "error: --jobs and --cluster both say where to "
     "score: give one (the cluster's workers set the parallelism)\n"),
], ids=["no-workers", "no-address", "both"])
def test_bad_cluster_options_are_usage_errors(tmp_path, args, message):
    pytest.importorskip("distributed")
    result = CliRunner().invoke(app, ["score", str(CALLS), "-r", str(RUBRIC), "--db",
                                      str(tmp_path / "s.db"), *args])
    assert (result.exit_code, result.stderr) == (2, message)
    assert not (tmp_path / "s.db").exists()


def test_without_the_dask_extra_the_message_names_it(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_dask)
    result = CliRunner().invoke(app, ["score", str(CALLS), "-r", str(RUBRIC), "--db",
                                      str(tmp_path / "s.db"), "--cluster", "local:2"])
    assert (result.exit_code, result.stderr) == (2, (
        "error: --cluster needs the 'dask' extra, which is not installed (distributed is "
        "missing) (pip install 'callcoach[dask]')\n"))


# -- the DataFrame entry point ----------------------------------------------------------------
def _as_inspected(n: int):
    import pandas as pd
    rows = []
    for source in list(discover([CALLS]))[:n]:
        d = source.read().to_dict()
        rows.append({k: d[k] for k in ("call_id", "rep", "started_at", "call_type", "account",
                                       "duration", "extra", "source", "utterances")})
    return pd.DataFrame(rows)


def test_a_frame_of_transcripts_scores_as_the_store_does(tmp_path):
    calls = _as_inspected(6)
    results = score_frame(calls, RUBRIC)
    assert list(results.columns) == list(RESULTS) and results["error"].isna().all()
    with Store(tmp_path / "s.db") as store:
        from callcoach.scoring.batch import score_paths
        score_paths([CALLS], RUBRIC, store, jobs=1)
        stored = {s.meta.call_id: s for s in store.calls(list(calls["call_id"]),
                                                          "five-step-discovery")}
    assert len(results) == 6 * 6
    for row in results.itertuples():
        want = stored[row.call_id].result(row.criterion_id)
        assert (row.score, row.reason) == (want.score, want.reason)
        assert json.loads(row.moments) == [m.to_dict() for m in want.moments]
        assert row.overall == stored[row.call_id].overall


def test_raw_bytes_with_a_format_and_a_bad_file(tmp_path):
    import pandas as pd
    vtt = CALLS / "2026-10-06_mc_keystone-manufacturing_discovery.vtt"
    calls = pd.DataFrame([
        {"content": vtt.read_bytes(), "format": "vtt", "name": vtt.name, "call_id": "x-1",
         "rep": "Marcus Chen", "started_at": "2026-10-05T17:30:00Z"},
        {"content": b'{"results": [1, 2\n', "format": None, "name": "broken.json",
         "call_id": "x-2", "rep": "Marcus Chen", "started_at": "2026-10-05T18:00:00"}])
    results = score_frame(calls, RUBRIC)
    scored = results[results["error"].isna()]
    assert set(scored["call_id"]) == {"x-1"} and len(scored) == 6
    assert str(scored["started_at"].iloc[0]) == "2026-10-05 17:30:00"
    [bad] = results[results["error"].notna()].to_dict("records")
    assert bad["call_id"] == "x-2" and "broken.json:2" in bad["error"]


def test_map_partitions_on_the_cluster(scheduler):
    dd = pytest.importorskip("dask.dataframe")
    from distributed import Client
    calls = _as_inspected(8)
    # nested columns as JSON text, as a Dask (or Spark) string column holds them
    as_text = calls.assign(extra=calls["extra"].map(json.dumps),
                           utterances=calls["utterances"].map(json.dumps))
    with Client(scheduler, set_as_default=False) as client:
        ddf = dd.from_pandas(as_text, npartitions=2)
        got = client.compute(ddf.map_partitions(score_frame, str(RUBRIC), meta=META)).result()
    want = score_frame(calls, RUBRIC)
    assert got.reset_index(drop=True).equals(want)
