"""Train the push-back model (src/callcoach/matching/pushback_model.tsv) on labelled calls.

    python scripts/train_pushback.py             # the evaluation set's dev splits -> the .tsv
    python scripts/train_pushback.py --check     # exit 1 if the shipped weights are stale

Each labelled call gives sentences: for a call whose objection criterion is labelled pass or
fail, the prospect's sentences its evidence quotes are push-back and the rest are not; for a
call labelled na, none is. A call labelled pass or fail whose evidence quotes no prospect
sentence (only the rep's handling) says nothing about which sentence objected, and is left
out. The model is a logistic regression over pushback_model.features, fitted by a fixed
number of full-batch Adam steps from zero weights (deterministic: the same splits give the
same file). Test splits are refused: they measure the model, so it must never see them.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from callcoach.calibration.core import find_quote, from_files
from callcoach.calibration.labels import read_labels
from callcoach.errors import CallcoachError
from callcoach.matching import pushback_model
from callcoach.matching.normalize import normalize, normalize_many
from callcoach.scoring.forms import written_sentences

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval" / "five-step-discovery"
STEPS, RATE, L2, MIN_COUNT, PLACES = 300, 0.1, 3.0, 2, 3
# a feature must be said in this many splits: one team's names and products ("kelsey",
# "homebase") are not how prospects object
MIN_SPLITS = 3
SHARE = 0.6   # of a sentence's words the quote must hold for the sentence to be quoted


def sentences(split: Path, criterion: str) -> list[tuple[tuple[str, ...], bool]]:
    """The prospect's sentences of a split's labelled calls (normalised words), each with
    whether it is push-back."""
    labels = {lab.call_id: lab for lab in read_labels(split / "labels.csv")
              if lab.criterion == criterion}
    out = []
    calls = from_files(None, [split / "calls"])   # read only: no rubric scores them
    for e in calls.errors:
        print(f"skipped (cannot be read): {e}", file=sys.stderr)
    for transcript in calls.transcripts.values():
        label = labels.get(transcript.call_id)
        if label is None:
            continue
        quoted: dict[int, list[set[str]]] = {}
        if label.label != "na":
            for e in label.evidence:
                u, _ = find_quote(e, transcript)
                if u is not None and u.role != "rep":
                    quoted.setdefault(u.index, []).append(set(normalize(e.quote).split()))
            if not quoted:
                continue
        for u in transcript.utterances:
            if u.role == "rep":
                continue
            for norm in normalize_many(written_sentences(u.text)):
                words = tuple(norm.text.split())
                if words:
                    out.append((words, any(_quotes(q, words) for q in quoted.get(u.index, ()))))
    return out


def _quotes(quote: set[str], words: tuple[str, ...]) -> bool:
    shared = len(quote.intersection(words))
    return shared >= SHARE * len(set(words)) and (shared >= 3 or shared == len(set(words)))


def train(data: list[tuple[tuple[str, ...], bool]],
          sources: list[str] | None = None) -> dict[str, float]:
    """Feature -> weight (and pushback_model.BIAS), rounded to PLACES. `sources`: each
    sentence's split, for MIN_SPLITS (none: one split)."""
    rows = [pushback_model.features(words) for words, _ in data]
    sources = sources or [""] * len(rows)
    counts = Counter(f for row in rows for f in row)
    splits_of: dict[str, set[str]] = defaultdict(set)
    for row, source in zip(rows, sources):
        for f in row:
            splits_of[f].add(source)
    need = min(MIN_SPLITS, len(set(sources)))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items()
                                               if c >= MIN_COUNT and len(splits_of[f]) >= need))}
    at = [(i, vocab[f]) for i, row in enumerate(rows) for f in sorted(row) if f in vocab]
    r = np.array([i for i, _ in at])
    c = np.array([j for _, j in at])
    y = np.array([1.0 if pushes else 0.0 for _, pushes in data])
    n, size = len(data), len(vocab) + 1          # the last weight is the bias
    c = np.concatenate([c, np.full(n, size - 1)])
    r = np.concatenate([r, np.arange(n)])
    w, m, v = np.zeros(size), np.zeros(size), np.zeros(size)
    for t in range(1, STEPS + 1):
        p = 1 / (1 + np.exp(-np.bincount(r, weights=w[c], minlength=n)))
        g = (np.bincount(c, weights=(p - y)[r], minlength=size) + L2 * w) / n
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= RATE * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    out = {f: round(float(w[j]), PLACES) for f, j in vocab.items()}
    out[pushback_model.BIAS] = round(float(w[-1]), PLACES)
    return {f: x for f, x in out.items() if x != 0 or f == pushback_model.BIAS}


def render(weights: dict[str, float], splits: list[str], n: int, pushes: int) -> str:
    head = [f"# callcoach push-back model: written by scripts/train_pushback.py; do not edit",
            f"# trained on {n} prospect sentences ({pushes} push-back) of the splits "
            f"{', '.join(splits)}",
            f"# feature<TAB>weight (log-odds; a sentence pushes back past "
            f"{pushback_model.THRESHOLD:g})"]
    body = [f"{f}\t{weights[f]:.{PLACES}f}" for f in sorted(weights)]
    return "\n".join(head + body) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the evaluation set's folder")
    parser.add_argument("--split", action="append", dest="splits",
                        help="a split to learn from (repeatable; default: every dev split)")
    parser.add_argument("--criterion", default="objection_handling")
    parser.add_argument("--out", type=Path, default=pushback_model.WEIGHTS)
    parser.add_argument("--check", action="store_true",
                        help="compare with --out instead of writing it; exit 1 if it differs")
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(args.splits or sorted(
        (p.name for p in args.eval.glob("dev*") if p.is_dir()), key=lambda s: (len(s), s))))
    folder = args.eval.resolve()
    for name in names:
        path = (args.eval / name).resolve()
        if path.parent != folder or not path.is_dir():
            return _fail(f"no split '{name}' in {args.eval}: name a folder inside --eval")
        if path.name.startswith("test"):
            return _fail(f"refusing to learn from test split '{name}': it measures the model")
    if not names:
        return _fail(f"no dev splits in {args.eval}: give --eval, or --split NAME")
    data, sources = [], []
    try:
        for name in names:
            found = sentences(args.eval / name, args.criterion)
            data += found
            sources += [name] * len(found)
            print(f"{name}: {len(data)} sentences so far", file=sys.stderr)
    except CallcoachError as e:
        return _fail(str(e))
    pushes = sum(1 for _, p in data if p)
    if not pushes:
        return _fail(f"nothing to learn: no '{args.criterion}' label of these splits quotes a "
                     f"prospect's objection (check --criterion)")
    text = render(train(data, sources), names, len(data), pushes)
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'stale: run scripts/train_pushback.py'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(text.splitlines()) - 3} weights from {len(data)} sentences "
          f"({pushes} push-back)")
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
