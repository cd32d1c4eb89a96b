#!/usr/bin/env python3
"""Analytics benchmark: `scorecard`, `select` and `agenda` on a store of 100,000 scored calls.

    python benchmarks/bench_analytics.py              # 100,000 calls (store built once, cached)
    python benchmarks/bench_analytics.py --smoke      # 2,000 calls

How the store is made (it is synthesised, for speed): 200 generated 30-minute calls
(`examples/generate.py`, as in bench_score.py) are scored for real with the bundled discovery
rubric; then `--calls` rows are written through `Store.save_calls`, each a copy of one of the
200 scores (its criterion results, moments and packed transcript, cycling through them) under
a new call id, one of 250 reps (400 calls each at 100,000 calls, the generator's team size)
and a start time spread evenly over one quarter (2026-07-01 .. 2026-09-30). So every table
has the row counts and shapes of 100,000 real calls; only the scores repeat. The store is
cached in benchmarks/.corpus/ (about 2 GB at 100,000 calls, transcripts included).

Then it times, as of 2026-10-01, each in a fresh `Store` handle (best of 3, and the first):
library `scorecard` (team, the default 14 days), `scorecard` for the whole quarter (90
days), `select` and `build_agenda` for the rep with the most calls, and the same three
commands once through the CLI (`python -m callcoach ...`, process wall time, so including
interpreter start and imports). Target: under 1 s each.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_score import CACHE, GENERATOR, RUBRIC, corpus, generator, machine  # noqa: E402

AS_OF = datetime(2026, 10, 1)
QUARTER = (datetime(2026, 7, 1), datetime(2026, 9, 30, 23, 0))
SOURCE_CALLS = 200


def build_store(calls: int, seed: int) -> Path:
    import hashlib

    digest = hashlib.sha256(GENERATOR.read_bytes() + RUBRIC.read_bytes()
                            + Path(__file__).read_bytes()).hexdigest()[:10]
    db = CACHE / f"store-calls{calls}-{digest}.db"
    done = db.with_suffix(".complete")
    if done.exists():
        return db
    for stale in CACHE.glob(f"{db.name}*"):
        stale.unlink()
    from callcoach.ingest import discover
    from callcoach.rubric.loader import load_rubric
    from callcoach.scoring.compile import compile_rubric
    from callcoach.scoring.engine import score_transcript
    from callcoach.store import Store, pack_utterances

    started = time.perf_counter()
    print(f"building a store of {calls:,} calls in {db.relative_to(ROOT)} ...", flush=True)
    rubric = load_rubric(RUBRIC)
    compiled = compile_rubric(rubric)
    sources = [s for s in discover([corpus(SOURCE_CALLS, 300, seed)])]
    scored = []
    for s in sources:
        t = s.read()
        scored.append((score_transcript(t, compiled), pack_utterances(t.utterances)))
    n_reps = max(5, -(-calls // 400))
    reps = [r.name for r in generator().corpus_reps(n_reps, random.Random(seed))]
    span = (QUARTER[1] - QUARTER[0]).total_seconds()
    with Store(db) as store:
        store.save_rubric(rubric.rubric, rubric.content_hash, rubric.version, rubric.name,
                          rubric.model_dump(mode="json", by_alias=True))
        batch = []
        for i in range(calls):
            score, packed = scored[i % len(scored)]
            when = QUARTER[0] + timedelta(seconds=int(span * i / calls) // 1800 * 1800)
            meta = dataclasses.replace(score.meta, call_id=f"bench-{i + 1:06d}",
                                       rep=reps[i % n_reps], started_at=when)
            batch.append((dataclasses.replace(score, meta=meta, content_hash=f"synthetic-{i}"),
                          packed))
            if len(batch) == 1000:
                store.save_calls(batch)
                batch = []
        store.save_calls(batch)
        store.analyze()   # as `callcoach score` leaves a store
    done.write_text("")
    print(f"  built in {time.perf_counter() - started:.1f} s "
          f"({db.stat().st_size / 2**20:,.0f} MB)", flush=True)
    return db


def timed(fn, repeat: int = 3) -> tuple[float, float]:
    """(first, best) seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times[0], min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=100_000)
    ap.add_argument("--smoke", action="store_true", help="2,000 calls")
    ap.add_argument("--seed", type=int, default=20261005)
    args = ap.parse_args(argv)
    if args.smoke:
        args.calls = 2000
    db = build_store(args.calls, args.seed)

    from callcoach.analytics.agenda import build_agenda
    from callcoach.analytics.scorecard import scorecard
    from callcoach.analytics.selection import select
    from callcoach.store import Store

    with Store(db, must_exist=True) as store:
        rep, n = next(store.query("SELECT rep, COUNT(*) AS n FROM calls GROUP BY rep "
                                  "ORDER BY n DESC, rep LIMIT 1"))
        in_window = next(store.query("SELECT COUNT(*) FROM calls WHERE started_at >= ?",
                                     ((AS_OF - timedelta(days=14)).isoformat(),)))[0]

    def fresh(fn):
        def run():
            with Store(db, must_exist=True) as store:
                fn(store)
        return run

    cases = [
        ("scorecard (team, 14 days)", fresh(lambda s: scorecard(s, as_of=AS_OF))),
        ("scorecard (team, 90 days)", fresh(lambda s: scorecard(s, as_of=AS_OF, days=90))),
        ("scorecard (one rep, 14 days)", fresh(lambda s: scorecard(s, as_of=AS_OF, rep=rep))),
        ("select (one rep, 14 days)", fresh(lambda s: select(s, rep, as_of=AS_OF))),
        ("agenda (one rep, 14 days)", fresh(lambda s: build_agenda(s, rep, as_of=AS_OF))),
    ]
    print(f"machine: {machine()}")
    print(f"store: {args.calls:,} calls ({db.stat().st_size / 2**20:,.0f} MB), "
          f"{in_window:,} in the last 14 days; rep {rep!r} has {n} calls")
    print(f"  {'library call':34} {'first s':>8} {'best s':>8}")
    for name, fn in cases:
        first, best = timed(fn)
        print(f"  {name:34} {first:>8.3f} {best:>8.3f}")
    as_of = AS_OF.date().isoformat()
    print(f"  {'CLI, one run (process wall)':34} {'s':>8}")
    for name, cmd in (("callcoach scorecard", ["scorecard"]),
                      ("callcoach select --rep", ["select", "--rep", rep]),
                      ("callcoach agenda --rep", ["agenda", "--rep", rep])):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "callcoach", *cmd, "--as-of", as_of,
                              "--db", str(db)], capture_output=True, text=True,
                             env={**os.environ, "NO_COLOR": "1"})
        wall = time.perf_counter() - started
        status = "" if out.returncode == 0 else f"  (exit {out.returncode}: " \
                                                f"{out.stderr.strip().splitlines()[-1:]})"
        print(f"  {name:34} {wall:>8.3f}{status}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import callcoach.cli.app"], check=True)
    label = "(import callcoach.cli.app alone)"
    print(f"  {label:34} {time.perf_counter() - started:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
