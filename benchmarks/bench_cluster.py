#!/usr/bin/env python3
"""Beyond one machine: a Dask LocalCluster scoring into PostgreSQL against `--jobs 2` into
SQLite, on the same generated corpus (bench_score.py's), and what that means for 1M calls/day.

    python benchmarks/bench_cluster.py                 # 10,000 calls (generated once, cached)
    python benchmarks/bench_cluster.py --calls 1000
    python benchmarks/bench_cluster.py --db postgresql://coach@db/bench   # an existing server

Prints numbers; asserts nothing about time, but exits 1 when the two stores' exports differ.
1. `callcoach score CORPUS --jobs 2` into a fresh SQLite file, and `callcoach score CORPUS
   --cluster local:2` into a fresh PostgreSQL schema (a throwaway server started in a temp
   folder, as the tests start one, unless --db names one): wall time and calls/s, each run in
   its own process, the cluster's start-up included.
2. The exports (calls, results, moments as CSV) of both stores, compared byte for byte.
3. Per worker: `--cluster local:1` on the first --per-worker calls, calls/s of one worker.
4. The store's write rate: the stored calls written again with `Store.save_calls` in batches
   of 100 (as a run commits) into a fresh SQLite file and a fresh PostgreSQL schema: calls/s
   and rows/s the writer sustains when scoring costs nothing.
5. The estimate for 1,000,000 calls a day (docs/cluster.md explains the assumptions).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUBRIC = ROOT / "rubrics" / "five-step-discovery.yaml"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

DAY_CALLS = 1_000_000
BUSY_HOURS = 10      # a contact centre's calls land in its working day...
PEAK = 2.0           # ...and its busiest hour carries twice the average of that day


def score(corpus: Path, db: str, *where: str, limit_to: Path | None = None) -> dict:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "callcoach", "score", str(limit_to or corpus),
                          "-r", str(RUBRIC), "--db", db, "--quiet", *where],
                         capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    wall = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"score {' '.join(where)} failed:\n{run.stderr}")
    summary = run.stderr.strip().splitlines()[-1]
    scored = int(re.search(r"scored (\d+)", summary).group(1))
    return {"scored": scored, "wall": wall, "rate": scored / wall, "summary": summary}


def export_digests(db: str) -> dict[str, str]:
    out = {}
    for table in ("calls", "results", "moments"):
        run = subprocess.run([sys.executable, "-m", "callcoach", "export", "--table", table,
                              "--format", "csv", "--db", db], capture_output=True, check=True)
        out[table] = f"{hashlib.sha256(run.stdout).hexdigest()[:16]} ({run.stdout.count(10):,} rows)"
    return out


def subset(corpus: Path, n: int, into: Path) -> Path:
    """The first n calls of the corpus (and its calls.csv rows, reps.yaml) in their own folder."""
    into.mkdir()
    lines = (corpus / "calls.csv").read_text().splitlines()
    keep = lines[1:n + 1]
    (into / "calls.csv").write_text("\n".join([lines[0], *keep]) + "\n")
    for name in [row.split(",", 1)[0] for row in keep] + ["reps.yaml"]:
        if (corpus / name).exists():
            os.symlink(corpus / name, into / name)
    return into


def write_rate(source_db: str, targets: dict[str, str], n: int) -> dict[str, dict]:
    from callcoach.store import Store
    with Store(source_db) as source:
        rubric = source.rubric()
        ids = [r[0] for r in source.query("SELECT call_id FROM calls ORDER BY call_id LIMIT ?",
                                          (n,))]
        calls = list(source.calls(ids, rubric.rubric_id))
        blobs = dict(source.query("SELECT call_id, body FROM transcripts"))
    rows = sum(1 + len(c.results) + sum(len(r.moments) for r in c.results) for c in calls)
    out = {}
    for name, db in targets.items():
        with Store(db) as store:
            store.save_rubric(rubric.rubric_id, rubric.rubric_hash, rubric.version, rubric.name,
                              rubric.body)
            started = time.perf_counter()
            for k in range(0, len(calls), 100):
                store.save_calls([(c, bytes(blobs[c.meta.call_id]))
                                  for c in calls[k:k + 100]])
            took = time.perf_counter() - started
        out[name] = {"calls_s": len(calls) / took, "rows_s": rows / took,
                     "rows_per_call": rows / len(calls)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=10_000, help="corpus size (default 10,000)")
    ap.add_argument("--turns", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261005)
    ap.add_argument("--per-worker", type=int, default=1_000,
                    help="calls for the one-worker run (default 1,000)")
    ap.add_argument("--write-calls", type=int, default=2_000,
                    help="calls written again to time the store (default 2,000)")
    ap.add_argument("--db", help="a PostgreSQL URL to use instead of a throwaway server "
                                 "(its schemas bench_* are created)")
    args = ap.parse_args(argv)

    import bench_score
    corpus = bench_score.corpus(args.calls, args.turns, args.seed)
    print(f"machine: {bench_score.machine()}")
    server = None
    if args.db is None:
        from postgres_server import PostgresServer
        server = PostgresServer.start()

    def new_pg() -> str:
        if server is not None:
            return server.new_store()
        import psycopg
        name = f"bench_{os.getpid()}_{time.monotonic_ns()}"
        with psycopg.connect(args.db, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        sep = "&" if "?" in args.db else "?"
        return f"{args.db}{sep}options=-csearch_path%3D{name}"

    try:
        with tempfile.TemporaryDirectory(prefix="callcoach-bench-") as tmp:
            tmp = Path(tmp)
            lite, pg = str(tmp / "jobs2.db"), new_pg()
            jobs = score(corpus, lite, "--jobs", "2")
            cluster = score(corpus, pg, "--cluster", "local:2")
            print(f"\n{args.calls:,} calls, {args.turns} turns each ({corpus.name})")
            print(f"  --jobs 2 into SQLite:              {jobs['wall']:6.1f} s  "
                  f"{jobs['rate']:6.1f} calls/s   [{jobs['summary']}]")
            print(f"  --cluster local:2 into PostgreSQL: {cluster['wall']:6.1f} s  "
                  f"{cluster['rate']:6.1f} calls/s   [{cluster['summary']}]")
            a, b = export_digests(lite), export_digests(pg)
            same = a == b
            for table in a:
                print(f"  export {table:8} sqlite {a[table]}  postgres {b[table]}")
            print(f"  exports identical: {'yes' if same else 'NO'}")

            part = subset(corpus, args.per_worker, tmp / "subset")
            one = score(corpus, new_pg(), "--cluster", "local:1", limit_to=part)
            one_local = score(corpus, str(tmp / "one.db"), "--jobs", "1", limit_to=part)
            print(f"\nper worker, first {args.per_worker:,} calls:")
            print(f"  --cluster local:1 into PostgreSQL: {one['rate']:6.1f} calls/s (start-up "
                  f"included)   [{one['summary']}]")
            print(f"  --jobs 1 into SQLite:              {one_local['rate']:6.1f} calls/s   "
                  f"[{one_local['summary']}]")
            per_worker = float(re.search(r"\((?:[\d.]+) s, (\d+) calls/s\)",
                                         one_local["summary"]).group(1))

            rates = write_rate(lite, {"sqlite": str(tmp / "write.db"), "postgres": new_pg()},
                               args.write_calls)
            print(f"\nstore writes, {args.write_calls:,} stored calls again in batches of 100 "
                  f"({rates['sqlite']['rows_per_call']:.0f} rows a call):")
            for name, r in rates.items():
                print(f"  {name:9} {r['calls_s']:7.0f} calls/s  {r['rows_s']:9,.0f} rows/s")

            average = DAY_CALLS / 86_400
            peak = DAY_CALLS / (BUSY_HOURS * 3600) * PEAK
            workers = -(-peak // per_worker)
            print(f"\n1,000,000 calls a day: {average:.1f} calls/s averaged over 24 h; "
                  f"{peak:.1f} calls/s in the busiest hour ({BUSY_HOURS} busy hours, "
                  f"peak x{PEAK:g})")
            print(f"  workers (one core each, {per_worker:.0f} calls/s): {workers:.0f} for the "
                  f"peak, {-(-average // per_worker):.0f} for the daily average")
            print(f"  store: {peak:.0f} calls/s = "
                  f"{peak * rates['postgres']['rows_per_call']:,.0f} rows/s to write; one "
                  f"writer into PostgreSQL sustains {rates['postgres']['calls_s']:.0f} calls/s "
                  f"({rates['postgres']['calls_s'] / peak:.1f}x the peak)")
            return 0 if same else 1
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
