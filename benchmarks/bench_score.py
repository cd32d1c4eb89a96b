#!/usr/bin/env python3
"""Scoring benchmark: the real scorer against a plain reference, on generated 30-minute calls.

    python benchmarks/bench_score.py                  # 10,000 calls (generated once, cached)
    python benchmarks/bench_score.py --smoke          # 50 calls, the reference on 8 (CI keeps it working)
    python benchmarks/bench_score.py --calls 2000 --reference-calls all --cli
    python benchmarks/bench_score.py --calls 100000 --no-reference   # throughput and memory only

Prints numbers; asserts nothing about time. What it does, in one run:
1. Corpus: `examples/generate.py`'s `generate_corpus` (realistic discovery/demo calls in five
   export formats, calls.csv + reps.yaml), cached under benchmarks/.corpus/ keyed by size,
   seed and the generator's source, so a changed generator makes a new corpus.
2. End to end, real: `score_paths(corpus, rubric, fresh store, jobs=2)` - discovery,
   fingerprints, read, normalise, match, checks, store writes - in a fresh child process;
   calls/s, peak RSS of the main process and of the largest worker.
3. Re-run: the same call on the same store; every file is unchanged, so nothing is scored.
4. End to end, reference: the same batch run on the first `--reference-calls` files (default
   1,000; `all`) into another fresh store, with the rubric compiled by
   `reference.compile_reference`. The reference matchers (benchmarks/reference.py) implement
   the same `Matcher` interface and plug into the same engine, checks, readers and store, so
   the comparison isolates matching: plain Python loops, one `token_set_ratio` call per
   (phrase, candidate) pair, no inverted index, no batching.
5. Agreement: every criterion result of every reference call against the real run's: score,
   passed and the moments' utterances (and also reason, counts, moments' kind, step, phrase,
   similarity and span). Every disagreement is printed.
6. Stages, one core, in this process, on the first `--stage-calls` files: read, normalise,
   match, checks (+ talk metrics), pack (the transcript blob) and store write (batches of
   100, as the batch runner commits), for both scorers.

The reference's workers get the reference matchers by replacing `batch._compile` before the
pool forks (Linux' default start method); without fork the reference runs with jobs=1.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import importlib.util
import itertools
import json
import multiprocessing
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".corpus"
RUBRIC = ROOT / "rubrics" / "five-step-discovery.yaml"
GENERATOR = ROOT / "examples" / "generate.py"
sys.path.insert(0, str(HERE))


# -- corpus ---------------------------------------------------------------------------------
@functools.cache
def generator():
    """examples/generate.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("callcoach_examples_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def first_sources(folder: Path, n: int) -> list:
    """The first `n` items discovery yields from `folder`."""
    from callcoach.ingest import discover
    return list(itertools.islice(discover([folder]), n))


def corpus(calls: int, turns: int, seed: int) -> Path:
    """The cached corpus folder, generated on first use (a `.complete` marker guards against
    a half-written one)."""
    digest = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:10]
    folder = CACHE / f"calls{calls}-turns{turns}-seed{seed}-{digest}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        print(f"generating {calls:,} calls into {folder.relative_to(ROOT)} ...", flush=True)
        generator().generate_corpus(folder, calls, turns, seed)
        (folder / ".complete").write_text("")
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


# -- one end-to-end run, in a child process (so its peak memory is its own) -------------------
def child_run(args: argparse.Namespace) -> None:
    from callcoach.rubric.loader import load_rubric
    from callcoach.scoring import batch
    from callcoach.store import Store

    rubric = load_rubric(RUBRIC)
    jobs = args.jobs
    if args.impl == "reference":
        from reference import compile_reference
        if multiprocessing.get_start_method() != "fork":
            jobs = 1
        batch._compile = compile_reference   # read by each worker's initializer after fork
    cpu0 = os.times()
    with Store(args.db) as store:
        if args.limit:
            report = batch.score_sources(first_sources(Path(args.corpus), args.limit), rubric,
                                         store, jobs=jobs)
        else:
            report = batch.score_paths([args.corpus], rubric, store, jobs=jobs)
    cpu1 = os.times()
    unit = 1 if sys.platform == "darwin" else 1024   # ru_maxrss: bytes on macOS, KiB on Linux
    print(json.dumps({
        "elapsed": report.elapsed, "scored": report.scored, "unchanged": report.unchanged,
        "errors": [str(e) for e in report.errors[:5]], "n_errors": len(report.errors),
        "jobs": jobs,
        "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20,
        # the largest waited-for child: every worker has exited when the run returns
        "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20,
        "cpu_main_s": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
        "cpu_workers_s": (cpu1.children_user - cpu0.children_user)
        + (cpu1.children_system - cpu0.children_system),
    }))


def run_child(impl: str, folder: Path, db: Path, jobs: int, limit: int = 0) -> dict:
    cmd = [sys.executable, __file__, "_run", "--impl", impl, "--corpus", str(folder),
           "--db", str(db), "--jobs", str(jobs), "--limit", str(limit)]
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{impl} run failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    done = result["scored"] + result["unchanged"]
    result["rate"] = done / result["elapsed"] if result["elapsed"] else 0.0
    return result


def rerun_hashing(folder: Path, db: Path, jobs: int) -> dict:
    """The re-run again with the store's stat cache (`file_stats`) emptied first: every
    unchanged file is read and hashed, as on the first re-run after an upgrade."""
    import sqlite3
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM file_stats")
    return run_child("real", folder, db, jobs)


def print_reruns(rerun: dict, rehash: dict, cli: float | None,
                 args: argparse.Namespace) -> None:
    """The two re-runs, and the CLI run when there was one."""
    print(f"re-run, {rerun['unchanged']:,} unchanged calls: {rerun['elapsed']:.2f} s "
          f"({rerun['rate']:,.0f} calls/s), peak RSS main {rerun['rss_main_mb']:.0f} MB")
    print(f"  the same with no stat cache (every file hashed): {rehash['elapsed']:.2f} s "
          f"({rehash['rate']:,.0f} calls/s)")
    if cli is not None:
        print(f"callcoach score --jobs {args.jobs} --format jsonl (process wall, fresh store): "
              f"{cli:.2f} s = {args.calls / cli:.1f} calls/s")


def run_cli(folder: Path, db: Path, jobs: int) -> float:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "callcoach", "score", str(folder), "--rubric",
                          str(RUBRIC), "--db", str(db), "--jobs", str(jobs), "--format", "jsonl",
                          "--out", os.devnull], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"callcoach score failed:\n{out.stderr}")
    return time.perf_counter() - started


# -- agreement ------------------------------------------------------------------------------
RESULT_SQL = ("SELECT call_id, criterion_id, score, passed, reason, counts FROM results "
              "ORDER BY call_id, position")
MOMENT_SQL = ("SELECT call_id, criterion_id, utterance, kind, step, matched, similarity, "
              "span_start, span_end FROM moments ORDER BY call_id, criterion_id, seq")


def agreement(real_db: Path, ref_db: Path) -> tuple[int, list[str], list[str]]:
    """(criterion results compared, disagreements on score/passed/moments' utterances,
    differences in the other fields)."""
    import sqlite3

    def load(db: Path) -> tuple[dict, dict]:
        con = sqlite3.connect(db)
        results = {(r[0], r[1]): r[2:] for r in con.execute(RESULT_SQL)}
        moments: dict = {}
        for r in con.execute(MOMENT_SQL):
            moments.setdefault((r[0], r[1]), []).append(r[2:])
        con.close()
        return results, moments

    real, real_m = load(real_db)
    ref, ref_m = load(ref_db)
    hard, soft = [], []
    for key, (score, passed, reason, counts) in sorted(ref.items()):
        mine = real.get(key)
        if mine is None:
            hard.append(f"{key[0]} {key[1]}: missing from the real run")
            continue
        a_m, b_m = real_m.get(key, []), ref_m.get(key, [])
        if (mine[0], mine[1]) != (score, passed) or [m[0] for m in a_m] != [m[0] for m in b_m]:
            hard.append(f"{key[0]} {key[1]}: real score={mine[0]} passed={mine[1]} moments at "
                        f"{[m[0] for m in a_m]} | reference score={score} passed={passed} "
                        f"moments at {[m[0] for m in b_m]}")
        elif (mine[2], mine[3]) != (reason, counts) or a_m != b_m:
            soft.append(f"{key[0]} {key[1]}: real {mine[2]!r} {a_m} | reference {reason!r} {b_m}")
    return len(ref), hard, soft


# -- stages, one core -----------------------------------------------------------------------
def stages(folder: Path, n: int) -> dict[str, dict[str, float]]:
    from callcoach.matching import Document, normalize_many
    from callcoach.rubric.loader import load_rubric
    from callcoach.scoring.compile import compile_rubric
    from callcoach.scoring.engine import score_transcript
    from callcoach.store import Store, pack_utterances
    from reference import compile_reference

    rubric = load_rubric(RUBRIC)
    sources = first_sources(folder, n)
    clock = time.perf_counter
    t0 = clock()
    transcripts = [s.read() for s in sources]
    read = clock() - t0
    out = {}
    for name, compiled in (("real", compile_rubric(rubric)), ("reference", compile_reference(rubric))):
        t = {"read": read, "normalise": 0.0, "match": 0.0, "checks": 0.0, "pack": 0.0,
             "store": 0.0}
        scored = []
        for tr in transcripts:
            a = clock()
            normed = normalize_many([u.text for u in tr.utterances])
            b = clock()
            doc = Document(normed, [u.role for u in tr.utterances])
            for matcher in compiled.matchers.values():
                matcher.scan(doc)
            c = clock()
            score = score_transcript(tr, compiled)   # normalises and matches again
            d = clock()
            packed = pack_utterances(tr.utterances)
            e = clock()
            t["normalise"] += b - a
            t["match"] += c - b
            # derived: score_transcript normalises and matches again; for the reference the
            # difference is within the noise of its ~70 ms matching (clamped at 0 below)
            t["checks"] += (d - c) - (c - a)
            t["pack"] += e - d
            scored.append((score, packed))
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
            a = clock()
            for i in range(0, len(scored), 100):
                store.save_calls(scored[i:i + 100])
            t["store"] = clock() - a
        out[name] = {k: v / len(transcripts) * 1000 for k, v in t.items()}   # ms per call
        out[name]["checks"] = max(0.0, out[name]["checks"])   # see above: noise, not time
    out["calls"] = {"n": len(transcripts),
                    "turns": sum(len(t.utterances) for t in transcripts) / len(transcripts),
                    "words": sum(len(u.text.split()) for t in transcripts for u in t.utterances)
                    / len(transcripts)}
    return out


# -- report ---------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"load average {load}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    child = sub.add_parser("_run", help=argparse.SUPPRESS)
    child.add_argument("--impl", choices=["real", "reference"], required=True)
    child.add_argument("--corpus", required=True)
    child.add_argument("--db", required=True)
    child.add_argument("--jobs", type=int, default=2)
    child.add_argument("--limit", type=int, default=0)
    ap.add_argument("--calls", type=int, default=10_000, help="corpus size (default 10,000)")
    ap.add_argument("--smoke", action="store_true",
                    help="50 calls, the reference and the stages on 8 of them (about a minute)")
    ap.add_argument("--turns", type=int, default=300, help="turns per call (default 300)")
    ap.add_argument("--seed", type=int, default=20261005)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--reference-calls", default="1000",
                    help="files the reference scores ('all' for every one; default 1000)")
    ap.add_argument("--stage-calls", type=int, default=300,
                    help="files timed stage by stage on one core (default 300)")
    ap.add_argument("--no-reference", action="store_true",
                    help="only the real run and its re-run: no reference run, agreement or "
                         "stages (for throughput and peak memory at sizes the reference would "
                         "take hours on)")
    ap.add_argument("--cli", action="store_true",
                    help="also time `callcoach score --jobs N --format jsonl` into a fresh store")
    ap.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = ap.parse_args(argv)
    if args.cmd == "_run":
        child_run(args)
        return 0
    if args.smoke:
        # the reference scores every (phrase, candidate) pair from scratch, ~3 s a call here
        args.calls, args.reference_calls, args.stage_calls = 50, "8", 8
    ref_calls = args.calls if args.reference_calls == "all" else min(int(args.reference_calls),
                                                                      args.calls)
    folder = corpus(args.calls, args.turns, args.seed)
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="callcoach-bench-") as tmp:
        tmp = Path(tmp)
        real = run_child("real", folder, tmp / "real.db", args.jobs)
        rerun = run_child("real", folder, tmp / "real.db", args.jobs)
        rehash = rerun_hashing(folder, tmp / "real.db", args.jobs)
        cli = run_cli(folder, tmp / "cli.db", args.jobs) if args.cli else None
        if args.no_reference:
            return only_real(args, folder, size, real, (rerun, rehash), cli)
        ref = run_child("reference", folder, tmp / "ref.db", args.jobs, limit=ref_calls)
        compared, hard, soft = agreement(tmp / "real.db", tmp / "ref.db")
    st = stages(folder, min(args.stage_calls, args.calls))

    calls = st["calls"]
    print(f"corpus: {args.calls:,} calls, {size / 2**20:.0f} MB ({folder.relative_to(ROOT)}); "
          f"sample of {calls['n']}: {calls['turns']:.0f} turns, {calls['words']:,.0f} words "
          f"per call")
    print(f"rubric: {RUBRIC.relative_to(ROOT)}")
    print()
    print(f"end to end, jobs={args.jobs} (discover + read + score + store, fresh store)")
    print(f"  {'':28} {'real':>12} {'reference':>12}")
    print(f"  {'calls':28} {real['scored']:>12,} {ref['scored']:>12,}")
    print(f"  {'seconds':28} {real['elapsed']:>12.2f} {ref['elapsed']:>12.2f}")
    print(f"  {'calls/s':28} {real['rate']:>12.1f} {ref['rate']:>12.1f}")
    print(f"  {'cpu s: main / workers':28} {real['cpu_main_s']:>5.1f} / {real['cpu_workers_s']:<5.1f}"
          f" {ref['cpu_main_s']:>5.1f} / {ref['cpu_workers_s']:<5.1f}")
    print(f"  {'peak RSS MB: main / worker':28} {real['rss_main_mb']:>5.0f} / {real['rss_worker_mb']:<5.0f}"
          f" {ref['rss_main_mb']:>5.0f} / {ref['rss_worker_mb']:<5.0f}")
    print(f"  {'errors':28} {real['n_errors']:>12} {ref['n_errors']:>12}")
    if ref["jobs"] != args.jobs:
        print(f"  (the reference ran with jobs={ref['jobs']}: no fork start method here)")
    print_reruns(rerun, rehash, cli, args)
    print()
    print(f"stages, one core, ms per call ({calls['n']} calls)")
    print(f"  {'':28} {'real':>12} {'reference':>12}")
    for k in ("read", "normalise", "match", "checks", "pack", "store"):
        print(f"  {k:28} {st['real'][k]:>12.2f} {st['reference'][k]:>12.2f}")
    tot = {n: sum(st[n].values()) for n in ("real", "reference")}
    print(f"  {'total':28} {tot['real']:>12.2f} {tot['reference']:>12.2f}")
    print()
    match_ratio = st["reference"]["match"] / st["real"]["match"]
    e2e_ratio = real["rate"] / ref["rate"] if ref["rate"] else float("inf")
    print(f"speed ratio real/reference: end to end {e2e_ratio:.1f}x, matching {match_ratio:.1f}x, "
          f"one-core total {tot['reference'] / tot['real']:.1f}x")
    print(f"agreement: {compared - len(hard):,} of {compared:,} criterion results agree on score, "
          f"passed and moments' utterances ({ref['scored']:,} calls); "
          f"{len(hard)} disagreements; {len(soft)} differ in reason/counts/moment details")
    for line in hard + soft:
        print(f"  DISAGREE {line}")
    if args.json:
        args.json.write_text(json.dumps({"real": real, "rerun": rerun, "rerun_hashing": rehash,
                                         "reference": ref,
                                         "stages": st, "compared": compared,
                                         "disagreements": hard + soft, "cli": cli}, indent=2))
    return 1 if hard or soft else 0


def only_real(args: argparse.Namespace, folder: Path, size: int, real: dict,
              reruns: tuple[dict, dict], cli: float | None) -> int:
    """The report of a `--no-reference` run: the real run, its re-run (and the CLI)."""
    print(f"corpus: {args.calls:,} calls, {size / 2**20:.0f} MB ({folder.relative_to(ROOT)})")
    print(f"rubric: {RUBRIC.relative_to(ROOT)}")
    print()
    print(f"end to end, jobs={args.jobs}, real only (--no-reference)")
    print(f"  calls {real['scored']:,} in {real['elapsed']:.2f} s = {real['rate']:.1f} calls/s, "
          f"errors {real['n_errors']}")
    print(f"  cpu s: main / workers {real['cpu_main_s']:.1f} / {real['cpu_workers_s']:.1f}")
    print(f"  peak RSS MB: main / worker {real['rss_main_mb']:.0f} / {real['rss_worker_mb']:.0f}"
          f" (whole run at most {real['rss_main_mb'] + real['jobs'] * real['rss_worker_mb']:.0f})")
    print_reruns(*reruns, cli, args)
    if args.json:
        args.json.write_text(json.dumps({"real": real, "rerun": reruns[0], "rerun_hashing": reruns[1],
                                         "cli": cli}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
