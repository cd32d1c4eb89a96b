#!/usr/bin/env python3
"""Question-check benchmark: what a `question` criterion costs per 30-minute call, with and
without `prefilter: intent`, and what a re-run costs (answers come from the store's cache).

    python benchmarks/bench_judge.py               # 50 generated 30-minute calls
    python benchmarks/bench_judge.py --calls 200

Runs `score_paths` end to end against a real HTTP server on 127.0.0.1 speaking the
chat-completions protocol (tests/llm_server.py) whose scripted "model" quotes the first rep
line holding "next"; no network beyond 127.0.0.1. Prints numbers; asserts nothing about time.
Tokens are callcoach's estimate (characters / 4), which is what `callcoach score` prints
before it asks: the scripted server counts none.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

QUESTION = """
  - id: next_step_goal
    name: Next step tied to the goal
    standard: Tie the next step to the prospect's own goal, in their words.
    check:
      type: question
      ask: Did the rep tie the agreed next step to a goal the prospect stated?
      speaker: rep
"""
PREFILTER = """      prefilter: intent
      threshold: 78
      phrases:   # next_step's own phrases: ask only where a next step was proposed
        - can we get 30 minutes on the calendar thursday
        - i will send over an invite for tuesday at 10
        - does wednesday at 2 work for the follow up
        - let us lock in a time next week
        - i will put a hold on your calendar for friday morning
        - how does tuesday at 10 look for the demo
        - let us book the technical deep dive for next tuesday
"""


def rubric_text(prefilter: bool) -> str:
    base = (ROOT / "rubrics" / "five-step-discovery.yaml").read_text()
    return base.rstrip("\n") + "\n" + QUESTION + (PREFILTER if prefilter else "")


def run(corpus: Path, rubric: Path, db: Path, url: str, server, force: bool = False) -> dict:
    from callcoach.judge import Judge, Settings
    from callcoach.rubric.loader import load_rubric
    from callcoach.scoring.batch import score_paths
    from callcoach.store import Store

    plans = []
    before = len(server.requests)
    chars = 0
    judge = Judge(Settings(model="bench-model", base_url=url, concurrency=4))
    started = time.perf_counter()
    with Store(db) as store:
        report = score_paths([corpus], load_rubric(rubric), store, jobs=2, force=force,
                             judge=judge, on_plan=plans.append)
    elapsed = time.perf_counter() - started
    for body in server.requests[before:]:
        chars += sum(len(m["content"]) for m in body["messages"])
    a = report.asked
    return {"calls": report.scored + report.unchanged, "requests": len(server.requests) - before,
            "planned_tokens": plans[0].prompt_tokens if plans else 0, "sent_tokens": chars // 4,
            "cached": a.cached, "answered": a.answered, "errors": len(report.errors),
            "seconds": elapsed}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--turns", type=int, default=300, help="turns per call (300: ~30 minutes)")
    args = ap.parse_args(argv)

    from bench_score import corpus
    from llm_server import ChatServer, reader

    folder = corpus(args.calls, args.turns, 7)
    with tempfile.TemporaryDirectory() as tmp, ChatServer(reader("next")) as server:
        tmp = Path(tmp)
        print(f"{args.calls} calls of ~{args.turns} turns (~30 minutes), one question criterion "
              f"beside the six of five-step-discovery; scripted server at {server.url}")
        for label, prefilter in (("without prefilter", False), ("prefilter: intent", True)):
            rubric = tmp / f"r-{prefilter}.yaml"
            rubric.write_text(rubric_text(prefilter))
            db = tmp / f"{prefilter}.db"
            first = run(folder, rubric, db, server.url, server)
            n = first["calls"]
            print(f"{label:>18}: {first['requests'] / n:.2f} requests and "
                  f"{first['sent_tokens'] / n:,.0f} prompt tokens per call "
                  f"(estimated before sending: {first['planned_tokens'] / n:,.0f}); "
                  f"{first['requests']} requests for {n} calls in {first['seconds']:.1f} s, "
                  f"{first['errors']} errors")
            again = run(folder, rubric, db, server.url, server, force=True)
            asked = again["cached"] + again["answered"]
            rate = again["cached"] / asked if asked else 1.0
            print(f"{'re-run (--force)':>18}: {again['requests']} requests, cache hit rate "
                  f"{rate:.0%} ({again['cached']} of {asked} answers from the store), "
                  f"{again['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
