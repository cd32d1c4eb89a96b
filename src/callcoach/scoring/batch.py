"""Score many transcripts into the store: the library API behind `callcoach score`, usable
as is from a notebook or a scheduled job.

    with Store("callcoach.db") as store:
        report = score_paths(["calls/"], "rubrics/discovery.yaml", store, jobs=2)
    print(report.scored, report.unchanged, [str(e) for e in report.errors])
    for score in report.scores(store):     # every call of the run, by (started_at, call_id)
        ...

The flow: discover the sources (in discovery's sorted order) -> skip each file whose
fingerprint is already stored under the same rubric hash (unless `force`) -> read and score
the rest in worker processes, each compiling the rubric once -> the calling process is the
single writer, committing finished calls in small batches (`BATCH_CALLS` calls or
`BATCH_SECONDS`, whichever comes first; one transaction per batch, so no call is ever half
stored). Work in flight is bounded, so memory does not grow with the corpus.

Interruption: SIGINT (and SIGTERM, when nobody else handles them) is deferred while a batch is
written; anywhere else the run stops at once (the worker processes are terminated, a call
being scored in this process is abandoned), commits every call it finished, and raises
`BatchInterrupted` (a KeyboardInterrupt) carrying the partial report: within about a second,
whatever the input. A SIGKILL loses at most the uncommitted batch (under half a second of
work), never part of a call; rerunning scores whatever is missing.

Store faults (the disk full, the store read-only or locked by another process past its
`lock_wait`) stop the run with a `StoreError` that says how many calls of the run are stored,
each whole, and how many finished calls could not be.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, Sized

from callcoach.errors import (CallcoachError, NotATranscript, Note, StoreError, TranscriptError,
                              UsageError)
from callcoach.rubric.model import Rubric
from callcoach.scoring.result import CallScore, Pending
from callcoach.store import Removed, Store, pack_utterances

# Measured on the 2-core dev machine (benchmarks in docs/store.md): one transaction per
# call costs ~0.45 ms of the writer's time, batches of 100 ~0.21 ms.
BATCH_CALLS = 100
BATCH_SECONDS = 0.5
MAX_CHUNK = 8            # sources per worker task: amortises the pool's per-task overhead
WINDOW_PER_JOB = 3       # chunks in flight per worker: keeps workers busy, bounds memory
FINAL_LOCK_WAIT = 1.0    # after a stop signal: how long the last commit waits for a lock
_DONE = object()         # the end of an iterator (`_Run._waiting`)
_GC_THRESHOLDS = (10_000, 50, 1_000)   # while scoring (Python's defaults: 700, 10, 10)

ProgressCallback = Callable[[int, int | None], None]   # (done, total; None while discovering)


@dataclass
class Plan:
    """What a run is about to ask a language model, before it sends anything."""

    model: str                 # "llama3.1:8b at http://localhost:11434/v1"
    calls: int                 # calls waiting for an answer
    requests: int              # answers to ask for (each one request, unless retried)
    cached: int                # answers found in the store's cache
    prompt_tokens: int         # estimated
    answer_tokens: int         # at most
    max_requests: int | None

    @property
    def sending(self) -> int:
        return self.requests if self.max_requests is None else min(self.requests,
                                                                     self.max_requests)


@dataclass
class Asking:
    """What was asked: answers had, from the cache or the model, and what it cost."""

    model: str
    cached: int = 0            # answers taken from the store
    answered: int = 0          # answers the model gave in this run
    failed: int = 0            # asks that ended in an error
    not_sent: int = 0          # asks left for the next run (--max-requests, a dead server)
    requests: int = 0          # HTTP requests sent, retries included
    prompt_tokens: int = 0     # as the server counted them (0 when it does not say)
    completion_tokens: int = 0
    unverified: int = 0        # results whose quotes the transcript does not hold


PlanCallback = Callable[[Plan], None]
# After this many asks in a row found no server at all, the rest are not sent.
UNREACHABLE_STREAK = 3


class BatchInterrupted(KeyboardInterrupt):
    """The run was interrupted; every call it finished is stored. `report` says what was done."""

    def __init__(self, report: "BatchReport", signum: int = signal.SIGINT):
        super().__init__("interrupted")
        self.report = report
        self.signum = signum   # what stopped it: SIGINT or SIGTERM


@dataclass
class BatchReport:
    rubric_id: str
    rubric_hash: str
    total: int = 0                      # sources discovered (files, or manifest rows)
    scored: int = 0
    unchanged: int = 0
    errors: list[CallcoachError] = field(default_factory=list)   # in source order
    notes: list[CallcoachError] = field(default_factory=list)    # skipped files, lenient reads
    calls: dict[str, datetime] = field(default_factory=dict)     # call_id -> started_at
    elapsed: float = 0.0                # seconds
    interrupted: bool = False
    # (old call_id, new call_id): a stored call read from the same bytes, whose file was
    # renamed, moved or given another id, replaced by the call it is now
    replaced: list[tuple[str, str]] = field(default_factory=list)
    moved: int = 0                      # unchanged calls whose file is at a new path
    # files found in folders that are no transcript at all (notes, another JSON): skipped
    skipped: list[CallcoachError] = field(default_factory=list)
    pruned: Removed | None = None       # with prune: the calls whose file is gone
    asked: "Asking | None" = None       # what a language model was asked (question checks)
    unsaved: int = 0                    # finished calls a stopped run could not store
    unsaved_why: StoreError | None = None   # and why

    @property
    def call_ids(self) -> list[str]:
        """Every call of the run, scored now or unchanged, by (started_at, call_id)."""
        return [c for _, c in sorted((t, c) for c, t in self.calls.items())]

    def scores(self, store: Store, *, moments: bool = True) -> Iterator[CallScore]:
        """The run's calls as stored, in `call_ids` order, streamed a chunk at a time."""
        return store.calls(self.call_ids, self.rubric_id, moments=moments)


def score_paths(paths: Sequence[str | Path], rubric: Rubric | str | Path, store: Store | str | Path,
                *, jobs: int | None = None, input_format: str | None = None,
                roster: str | Path | None = None, pass_mark: float | None = None,
                force: bool = False, on_progress: ProgressCallback | None = None,
                tz: str | None = None, prune: bool = False,
                hints: dict[str, str] | None = None, judge=None,
                on_plan: PlanCallback | None = None,
                on_ask: ProgressCallback | None = None,
                expected: int | None = None, cluster: str | None = None) -> BatchReport:
    """Score every transcript under `paths` (files and folders, recursively) with `rubric`
    (a `Rubric` or a YAML path) into `store` (a `Store` or a database path).

    `jobs`: worker processes (default: all cores; 1 scores in this process). `cluster`: score
    on a Dask cluster instead (a scheduler address, or "local:N"; scoring/cluster.py), whose
    workers must be able to read the files at their absolute paths. `pass_mark`
    overrides the rubric's and is part of its hash, so changing it re-scores. `force`
    re-scores unchanged files too. `tz`: the team's zone (an IANA name), in which a start
    time without an offset in calls.csv, a sidecar or a file name is read (None: UTC).
    `prune`: afterwards, remove the rubric's calls read from files under `paths` that no
    longer exist (see `prune_missing`). `hints`: call metadata for every file, over what
    calls.csv, sidecars and file names say (a one-off export: {"rep": ..., "started_at":
    ...}). Bad files never stop the run: they are in `errors`; files of a folder that are no
    transcript at all are in `skipped`. `expected`: how many sources discovery will yield
    (`ingest.count`), so `on_progress` has a total, and a time left, from the first call
    instead of after discovery ends.
    Raises RubricError before scoring anything when the rubric does not load.

    Question checks (docs/judge.md) need `judge`, a `callcoach.judge.Judge`: after every file
    is scored, the answers not in the store's cache are asked for, `on_plan` hearing first
    how many and `on_ask(done, total)` as they come.
    """
    from callcoach.ingest import discover   # imported here: ingestion pulls in every reader

    if isinstance(paths, (str, Path)):
        paths = [paths]
    rubric = resolve_rubric(rubric, pass_mark)
    if not isinstance(store, Store):
        with Store(store) as opened:
            return score_paths(paths, rubric, opened, jobs=jobs, input_format=input_format,
                               roster=roster, force=force, on_progress=on_progress, tz=tz,
                               prune=prune, hints=hints, judge=judge, on_plan=on_plan,
                               on_ask=on_ask, expected=expected, cluster=cluster)
    sources = discover([Path(p) for p in paths], input_format=input_format, roster=roster,
                       tz=tz, hints=hints)
    report = score_sources(sources, rubric, store, jobs=jobs, force=force,
                           on_progress=on_progress, judge=judge, on_plan=on_plan,
                           on_ask=on_ask, expected=expected, cluster=cluster)
    if prune:
        report.pruned = prune_missing(store, rubric.rubric, paths)
    return report


def prune_missing(store: Store, rubric_id: str, paths: Sequence[str | Path]) -> Removed:
    """Remove the calls of `rubric_id` read from a file under `paths` (folders, or the files
    themselves) that no longer exists; sessions that cited them stay, without them. A folder
    that is missing or empty prunes nothing: an unmounted share must not empty the store."""
    roots = []
    for p in paths:
        root = os.path.realpath(p)
        if os.path.isfile(root) or (os.path.isdir(root) and any(os.scandir(root))):
            roots.append(root)
    gone = []
    for call_id, origin, source in store.calls_from(rubric_id):
        where = origin or (os.path.realpath(source) if source else None)
        if where is None or os.path.exists(where):
            continue
        if any(where == root or where.startswith(root.rstrip(os.sep) + os.sep)
               for root in roots):
            gone.append(call_id)
    return store.remove_calls(gone, rubric_id)


def resolve_rubric(rubric: Rubric | str | Path, pass_mark: float | None = None) -> Rubric:
    """A `Rubric` from a model or a YAML path, with `pass_mark` folded in so that it is part
    of the rubric's content hash (a different pass mark gives different results)."""
    if not isinstance(rubric, Rubric):
        from callcoach.rubric.loader import load_rubric
        rubric = load_rubric(rubric)
    if pass_mark is not None:
        if not 0 <= pass_mark <= 1:
            raise UsageError(f"pass mark {pass_mark} is not between 0 and 1",
                             hint="e.g. 0.7 for 70%")
        rubric = rubric.model_copy(update={"pass_mark": float(pass_mark)})
    return rubric


def score_sources(sources: Iterable, rubric: Rubric, store: Store, *, jobs: int | None = None,
                  force: bool = False, on_progress: ProgressCallback | None = None,
                  judge=None, on_plan: PlanCallback | None = None,
                  on_ask: ProgressCallback | None = None,
                  expected: int | None = None, cluster: str | None = None) -> BatchReport:
    """`score_paths` after discovery: `sources` yields `ingest.Source`s (anything with
    `.path`, `.fingerprint()` and `.read()`, picklable; with `.cache_key()` too, unchanged
    files are found by their stat, see `Source.cache_key`) and `TranscriptError`s."""
    started = time.perf_counter()   # discovery happens as `sources` is consumed: time it too
    if store.read_only:
        raise StoreError(f"cannot score into {store.path}: it is read-only "
                         f"({store.READ_ONLY_WHY})", hint="use --db to pick a store you can "
                                                          "write; reading commands still work "
                                                          "on this one")
    return _Run(sources, rubric, store, jobs, force, on_progress, judge, on_plan,
                on_ask, expected, cluster).run(started)


# -- the worker side ------------------------------------------------------------------------
_compiled = None   # the rubric compiled once per worker process
_compiled_hash: str | None = None   # the content hash of the rubric compiled
_stored: frozenset = frozenset()   # (call_id, content_hash) whose transcript is stored already


def _compile(rubric: Rubric):
    from callcoach.scoring.compile import compile_rubric
    return compile_rubric(rubric)


def _score(transcript, compiled) -> CallScore:
    from callcoach.scoring.engine import score_transcript
    return score_transcript(transcript, compiled)


def _worker_signals() -> None:
    """A worker's signals: Ctrl-C reaches the whole process group, and only the writer
    decides what to do with it; SIGTERM (the writer's `terminate()`) ends a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _after_fork_in_child() -> None:
    # A child forked while a run defers signals inherits that handler and would be deaf to
    # SIGTERM until its initializer ran: long enough to swallow a stop and then wait forever.
    if isinstance(getattr(signal.getsignal(signal.SIGTERM), "__self__", None), _Run):
        _worker_signals()


if hasattr(os, "register_at_fork"):   # no fork, no window, on Windows
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _init_worker(rubric: Rubric, stored: frozenset) -> None:
    _worker_signals()   # again: a worker started by spawn forked nothing
    # If the writer is killed (kill -9, OOM killer), nobody will ever send work again: exit
    # instead of idling forever as an orphan.
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    load_rubric(rubric, stored)


def load_rubric(rubric: Rubric, stored: frozenset) -> None:
    """A worker's state for a run (a --jobs worker's, or a cluster worker's): the rubric
    compiled once, and the transcripts the store holds already."""
    global _compiled, _compiled_hash, _stored
    _compiled, _compiled_hash, _stored = _compile(rubric), rubric.content_hash, stored
    # Scoring a call allocates ~100,000 short-lived objects that reference counting frees;
    # the cyclic collector's passes over them, and over the long-lived compiled rubric and
    # matcher caches, are pure overhead here: ~7% of a worker's CPU per call (6.9 -> 6.2 ms,
    # measured alternately on the same calls). Freeze what exists now, collect less often.
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _score_chunk(sources: list) -> list[tuple]:
    return [_score_one(s, _compiled, _stored) for s in sources]


def _score_one(source, compiled, stored: frozenset) -> tuple:
    """(score, packed transcript or None to keep the stored one, None, notes) or
    (None, None, portable error, [])."""
    try:
        transcript = source.read()
        score = _score(transcript, compiled)
        # Re-scoring for a new rubric: the transcript in the store is this very one.
        keep = (transcript.meta.call_id, transcript.content_hash) in stored
        packed = None if keep else pack_utterances(transcript.utterances)
        return score, packed, None, transcript.notes
    except CallcoachError as e:
        if e.path is None:
            e.path = str(source.path)
        return None, None, _portable(e), []
    except Exception as e:  # a reader or check bug must not sink a 10,000-call run
        return None, None, _portable(CallcoachError(
            f"internal error while scoring: {type(e).__name__}: {e}", path=source.path,
            hint="this is a bug in callcoach; please report it with this file")), []


def _located(source):
    """A source that reads its file by its absolute path (`Source.location`)."""
    origin = getattr(source, "origin", None)
    if origin is None or getattr(source, "location", "") is not None:
        return source
    return dataclasses.replace(source, location=origin)


def _portable(e: CallcoachError) -> tuple:
    # Exceptions pickle as cls(*args), which drops path/line/hint: ship the fields instead.
    return type(e), e.message, dict(vars(e))


def _rebuild(portable: tuple) -> CallcoachError:
    cls, message, attrs = portable
    e = cls.__new__(cls)
    Exception.__init__(e, message)
    e.__dict__.update(attrs)
    return e


# -- the writer side ------------------------------------------------------------------------
class _Run:
    def __init__(self, sources: Iterable, rubric: Rubric, store: Store, jobs: int | None,
                 force: bool, on_progress: ProgressCallback | None, judge=None,
                 on_plan: PlanCallback | None = None, on_ask: ProgressCallback | None = None,
                 expected: int | None = None, cluster: str | None = None):
        # Sources are consumed as discovery yields them, never listed: 100,000 of them held
        # ~280 MB in the writer, and workers forked after the listing inherited it all.
        self.sources, self.rubric, self.store = sources, rubric, store
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self.force, self.on_progress = force, on_progress
        self.known_total = len(sources) if isinstance(sources, Sized) else None
        self.expected = expected   # the count before discovery: the total until it is done
        self.report = BatchReport(rubric.rubric, rubric.content_hash, total=self.known_total or 0)
        self.seen = 0                        # sources consumed so far
        self.queue: deque[tuple] = deque()   # work in source order: skip | error | chunk
        self.inflight = 0
        self.pending: list[tuple] = []       # finished calls not yet committed
        self.stats: dict[str, tuple] = {}    # path -> (cache key, fingerprint), from the store
        self.new_stats: list[tuple] = []     # (path, cache key, fingerprint) to record
        self.last_commit = time.perf_counter()
        self.first_file: dict[str, str] = {}  # call_id -> the file that claimed it
        self.same: dict[str, list] | None = None   # file_hash -> [(call_id, origin)], lazily
        self.moves: list[tuple] = []          # unchanged calls found at another path
        self.stop_signal: int | None = None
        self.interruptible = False           # a stop signal may raise at once (see _on_signal)
        self.committed = 0                   # calls of this run in the store
        self.pool: ProcessPoolExecutor | None = None   # or a ClusterPool (scoring/cluster.py)
        self.cluster = cluster
        self.compiled = None
        self.stored_transcripts: frozenset | None = None   # read when there is work
        # Calls waiting for a language model's answers (question checks): parked whole until
        # every ask of theirs is answered, then stored like any other call.
        self.judge, self.on_plan, self.on_ask = judge, on_plan, on_ask
        self.parked: list[list] = []         # [score, packed, path, asks outstanding]
        self.asks: dict[str, object] = {}    # Ask.key -> Ask, still to be asked
        self.answers: dict[str, object] = {}  # Ask.key -> Answer or JudgeError

    def run(self, started: float) -> BatchReport:
        previous = self._catch_signals()
        self.store.on_wait = self._waiting_for_lock
        # As in the workers (`_init_worker`): the writer allocates and frees per call and keeps
        # growing maps of call ids; fewer cyclic collections cut its CPU ~12% (10,000 calls:
        # 4.7-5.1 -> 4.2-4.3 s). The caller's settings come back when the run ends.
        thresholds = gc.get_threshold()
        gc.set_threshold(*_GC_THRESHOLDS)
        try:
            self._score_all()
        except KeyboardInterrupt as e:
            # Everything in `pending` is a whole call: commit it, then stop.
            self.interruptible = False
            self.report.interrupted = True
            self._harvest()
            self._close_pool(cancel=True)
            if self.store.db.in_transaction:
                self.store.db.execute("ROLLBACK")
            self._last_commit()
            self.report.elapsed = time.perf_counter() - started
            raise BatchInterrupted(self.report, self.stop_signal or signal.SIGINT) from e
        except StoreError as e:
            self._close_pool(cancel=True)
            raise self._store_failed(e) from None
        except BaseException:
            self._close_pool(cancel=True)
            with contextlib.suppress(Exception):   # keep what finished; re-raise the cause
                self._commit()
            raise
        finally:
            self.interruptible = False
            self.store.on_wait = None
            gc.set_threshold(*thresholds)
            self._restore_signals(previous)
            if self.known_total is None:
                self.report.total = self.seen   # what discovery yielded before it ended or stopped
        self._close_pool(cancel=False)
        self.report.elapsed = time.perf_counter() - started
        return self.report

    def _score_all(self) -> None:
        r, store, rubric_hash = self.rubric, self.store, self.report.rubric_hash
        from callcoach.judge import needs_model, require_judge
        if needs_model(r):   # no model, no client: say so before anything is scored
            self.judge = require_judge(self.judge)
            self.report.asked = Asking(self.judge.settings.where)
        store.save_rubric(r.rubric, rubric_hash, r.version, r.name,
                          r.model_dump(mode="json", by_alias=True))
        # analytics default to the rubric of the most recent run
        store.record_run(r.rubric, rubric_hash,
                         datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0))
        known = {} if self.force else store.scored_hashes(r.rubric, rubric_hash)
        if known:
            self.stats = store.file_stats()
        if not known or self.cluster:
            # Every file will be scored: fork the workers now, while this process is small.
            # Forked at the first chunk, after discovery has read a 100,000-row calls.csv
            # (~150 MB), each worker carried that image along (RSS 142 MB a worker). A
            # cluster is joined first in any case: its size sets the chunk sizes.
            self._start_workers()
        chunk: list = []
        for source in self.sources:
            self.seen += 1
            self._check_stop()
            if self._enqueue(source, known, chunk):
                self._submit(chunk)
                chunk = []
            self._drain(limit=self.jobs * WINDOW_PER_JOB - 1)
        if self.known_total is None:
            self.report.total = self.seen   # discovery is done: the progress bar has its total
        if chunk:
            self._submit(chunk)
        self._drain(limit=0)
        self._commit()
        if self.parked:
            self._ask_model()
            self._commit()
        if self.report.scored:
            # Only planner statistics: a store locked by another writer must not turn a run
            # whose calls are all stored into a failure.
            with contextlib.suppress(self.store.Error):
                self.store.analyze()

    def _enqueue(self, source, known: dict, chunk: list) -> bool:
        """Queue a discovery error or an unchanged call, or add the source to `chunk`;
        True when the chunk is full."""
        if isinstance(source, CallcoachError):
            self.queue.append(("error", source))
            return False
        path = str(source.path)
        cache_key = source.cache_key() if hasattr(source, "cache_key") else None
        if not known:
            # Nothing to skip (a fresh store, a new rubric, or --force): hashing the file here
            # would only cost the writer a read of it (~0.06 ms a call). A file that cannot be
            # read fails in the worker with the same error, in the same place in the report.
            # Its fingerprint is recorded when the worker's score (content_hash) comes back.
            chunk.append((source, cache_key))
            return len(chunk) >= self._chunk_size()
        cached = self.stats.get(path)
        if cache_key is not None and cached is not None and cached[0] == cache_key:
            fingerprint = cached[1]   # same size, times and inode: the bytes are unread
        else:
            try:
                fingerprint = source.fingerprint()
            except CallcoachError as e:
                if e.path is None:
                    e.path = path
                self.queue.append(("error", e))
                return False
            if cache_key is not None:
                self.new_stats.append((path, cache_key, fingerprint))
        stored = known.get(fingerprint)
        if stored is not None:
            self.queue.append(("skip", path, *stored, getattr(source, "origin", None)))
            return False
        chunk.append((source, None))   # recorded above
        return len(chunk) >= self._chunk_size()

    def _chunk_size(self) -> int:
        """Small chunks while few sources are known (so a handful of files still spreads over
        every worker), up to MAX_CHUNK once there are plenty."""
        known = self.known_total if self.known_total is not None else self.seen
        return max(1, min(MAX_CHUNK, known // (self.jobs * WINDOW_PER_JOB * 2)))

    def _start_workers(self) -> None:
        """The worker pool, started on the first chunk (or earlier, see `_score_all`)."""
        if self.stored_transcripts is None:
            self.stored_transcripts = self.store.transcript_keys()
        if self.pool is not None or (self.jobs == 1 and not self.cluster):
            return
        if self.cluster:
            from callcoach.scoring.cluster import ClusterPool
            self.pool = ClusterPool(self.cluster, self.rubric, self.stored_transcripts)
            self.jobs = self.pool.workers   # chunk sizes and work in flight follow the cluster
            return
        self.pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker,
                                        initargs=(self.rubric, self.stored_transcripts))
        # With the fork start method (Linux) the first task forks every worker at once.
        self.pool.submit(int)

    def _submit(self, chunk: list) -> None:
        """Send (source, cache key to record with its score or None) pairs to be scored."""
        self._start_workers()
        sources = [source for source, _ in chunk]
        if self.cluster:   # workers elsewhere read each file by its absolute path
            sources = [_located(s) for s in sources]
        if self.pool is None:
            if self.compiled is None:
                self.compiled = _compile(self.rubric)
            future: Future = Future()
            # Scoring here, a stop signal stops it at once: a huge call must not make Ctrl-C
            # wait for it (what finished is in `pending`, whole).
            self.interruptible = True
            try:
                self._check_stop()
                results = [_score_one(s, self.compiled, self.stored_transcripts)
                           for s in sources]
            finally:
                self.interruptible = False
            future.set_result(results)
        else:
            future = self.pool.submit(_score_chunk, sources)
        self.queue.append(("chunk", future, [(str(s.path), key) for s, key in chunk]))
        self.inflight += 1

    def _drain(self, *, limit: int) -> None:
        """Handle finished work from the head of the queue, in source order, waiting for the
        head chunk (and committing on time meanwhile) while more than `limit` are in flight."""
        while self.queue:
            head = self.queue[0]
            if head[0] == "chunk" and not head[1].done():
                if self.inflight <= limit:
                    return
                if not self._done(head[1], self._wait_budget()):
                    self._commit_if_due()
                    self._check_stop()
                    continue
            self.queue.popleft()
            self._handle(head)
            self._commit_if_due()
            self._check_stop()

    def _harvest(self) -> None:
        """On a stop: keep every call that finished, in source order, though calls before it
        did not (a worker may still be on a huge call ahead of finished ones)."""
        for entry in self.queue:
            if entry[0] != "chunk" or (entry[1].done() and entry[1].exception() is None):
                self._handle(entry)
        self.queue.clear()

    def _handle(self, entry: tuple) -> None:
        """One finished queue entry: a scored chunk, an error or an unchanged file."""
        kind = entry[0]
        if kind == "chunk":
            self.inflight -= 1
            try:
                results = self._result(entry[1], entry[2])
            except BrokenProcessPool:
                self._workers_died()
            for (path, cache_key), (score, packed, error, notes) in zip(entry[2], results):
                if error is not None:
                    self._fail(_rebuild(error))
                else:
                    if cache_key is not None and score.content_hash is not None:
                        self.new_stats.append((path, cache_key, score.content_hash))
                    self._claim(score.meta.call_id, score.meta.started_at, path,
                                (score, packed))
                    self.report.notes.extend(Note(n, path=path) for n in notes)
                self._progress()
            return
        if kind == "error":
            self._fail(entry[1])
        else:
            _, path, call_id, started_at, origin, here = entry
            if self._claim(call_id, started_at, path, None) and here is not None \
                    and origin != here:   # the same file, moved: its call follows it
                self.moves.append((call_id, path, here, origin))
        self._progress()

    def _done(self, future, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a chunk, without taking its result (`_handle`
        takes it, once: a cluster's result crosses the network on every call)."""
        if self.cluster:
            return self.pool.wait(future, timeout)
        return bool(futures_wait([future], timeout).done)

    def _result(self, future, chunk: list) -> list:
        """A chunk's scores. A cluster that lost the chunk (its workers died, the scheduler
        went away) is an error that says so; finished calls are committed as on any stop."""
        try:
            return future.result()
        except CallcoachError:
            raise
        except Exception as e:
            if not self.cluster:
                raise
            raise CallcoachError(
                f"the cluster {self.cluster} could not score {len(chunk)} files "
                f"({chunk[0][0]}, ...): {type(e).__name__}: {e}",
                hint="the calls finished before it are stored; run the same command again "
                     "to score the rest") from None

    def _claim(self, call_id: str, started_at: datetime, path: str, scored: tuple | None) -> bool:
        """Count the call for this run; False when another file claimed its id first."""
        first = self.first_file.get(call_id)
        if first is not None:
            self._fail(TranscriptError(
                f"call id {call_id!r} is already used by {first} in this run; this file was "
                f"not stored", path=path,
                hint="give each call its own call_id (calls.csv, a sidecar or the file name)"))
            return False
        self.first_file[call_id] = path
        self.report.calls[call_id] = started_at
        if scored is None:
            self.report.unchanged += 1
        else:
            self.report.scored += 1
            if any(isinstance(r, Pending) for r in scored[0].results):
                self._park(*scored, path)
            else:
                self.pending.append(scored)
        return True

    def _fail(self, error: CallcoachError) -> None:
        if isinstance(error, NotATranscript):   # a folder's notes: skipped, not an error
            self.report.skipped.append(error)
        else:
            self.report.errors.append(error)

    def _progress(self) -> None:
        if self.on_progress is not None:
            r = self.report
            total = self.known_total if self.known_total is not None else (
                r.total or self.expected)   # r.total: what discovery yielded, once it is done
            self.on_progress(r.scored + r.unchanged + len(r.errors) + len(r.skipped), total)

    # -- a language model's answers -------------------------------------------------------
    def _park(self, score: CallScore, packed, path: str) -> None:
        """Hold a call with pending results; its answers come from the cache or, once every
        file is scored, from the model."""
        from callcoach.judge import Answer
        from callcoach.scoring.engine import pending

        judge = self.judge
        outstanding = set()
        for ask in (a for r in pending(score) for a in r.asks):
            if ask.key in self.answers or ask.key in self.asks:
                outstanding.add(ask.key)
                continue
            cached = self.store.answer(ask, judge.settings.model)
            if cached is not None:
                self.answers[ask.key] = Answer.model_validate(cached)
                self.report.asked.cached += 1
            else:
                self.asks[ask.key] = ask
                outstanding.add(ask.key)
        entry = [score, packed, path, {k for k in outstanding if k not in self.answers}]
        if entry[3]:
            self.parked.append(entry)
        else:
            self._settle(entry)

    def _settle(self, entry: list) -> None:
        """Finish a parked call whose asks all have an answer (or an error), to be stored."""
        from callcoach.judge import JudgeError
        from callcoach.scoring.engine import finish

        score, packed, path, _ = entry
        done = finish(score, self.rubric.criteria, self.answers)
        for r in done.results:
            if r.counts.get("unverified"):
                self.report.asked.unverified += 1
            if r.counts.get("judge_errors"):
                self._fail(JudgeError(f"call {score.meta.call_id}: {r.id} {r.reason}; its "
                                      f"other criteria are stored", path=path,
                                      hint="run the same command again to ask once more"))
        self.pending.append((done, packed))

    def _ask_model(self) -> None:
        """Ask every uncached question, `concurrency` at a time, at most `max_requests` of them;
        each answer is cached at once, each call stored when its last answer comes."""
        from concurrent.futures import ThreadPoolExecutor, as_completed

        from callcoach.judge import ANSWER_TOKENS, Backend, JudgeError

        judge, asked = self.judge, self.report.asked
        asks = list(self.asks.values())
        plan = Plan(judge.settings.where, len(self.parked), len(asks), asked.cached,
                    sum(a.tokens for a in asks), ANSWER_TOKENS * len(asks), judge.max_requests)
        if self.on_plan is not None:
            self.on_plan(plan)
        waiting: dict[str, list[list]] = {}
        for entry in self.parked:
            for key in entry[3]:
                waiting.setdefault(key, []).append(entry)

        def answered(key: str, answer) -> None:
            self.answers[key] = answer
            for entry in waiting.pop(key, []):
                entry[3].discard(key)
                if not entry[3]:
                    self._settle(entry)
            self._commit_if_due()

        send, skip = asks[:plan.sending], asks[plan.sending:]
        done, streak = 0, 0
        backend = Backend(judge.settings) if send else None
        pool = ThreadPoolExecutor(judge.settings.concurrency) if send else None
        try:
            futures = {pool.submit(backend.ask, list(a.messages), a.schema, a.verdicts): a
                       for a in send}
            for future in self._waiting(as_completed(futures)):
                ask = futures[future]
                try:
                    reply = future.result()
                except JudgeError as e:
                    asked.failed += 1
                    asked.requests += e.requests
                    streak = streak + 1 if e.unreachable else 0
                    answered(ask.key, e)
                    if streak >= UNREACHABLE_STREAK:
                        skip += [a for f, a in futures.items() if f.cancel()]
                else:
                    streak = 0
                    asked.answered += 1
                    asked.requests += reply.requests
                    asked.prompt_tokens += reply.prompt_tokens or 0
                    asked.completion_tokens += reply.completion_tokens or 0
                    self.store.save_answers([(ask, judge.settings.model,
                                              reply.answer.model_dump(mode="json"),
                                              reply.prompt_tokens, reply.completion_tokens)])
                    answered(ask.key, reply.answer)
                done += 1
                if self.on_ask is not None:
                    self.on_ask(done, len(send))
                self._check_stop()
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            if backend is not None:
                backend.close()
        why = (f"--max-requests {judge.max_requests} reached" if streak < UNREACHABLE_STREAK
               else f"{judge.settings.base_url} did not answer {UNREACHABLE_STREAK} requests in "
                    f"a row")
        for ask in skip:
            if ask.key not in self.answers:
                asked.not_sent += 1
                answered(ask.key, JudgeError(f"not asked: {why}"))
        self.parked = []

    # -- commits ---------------------------------------------------------------------------
    def _wait_budget(self) -> float:
        if not self.pending:
            return 0.2   # wake up now and then to notice a stop signal
        return max(0.0, min(0.2, BATCH_SECONDS - (time.perf_counter() - self.last_commit)))

    def _commit_if_due(self) -> None:
        if len(self.pending) >= BATCH_CALLS or (
                self.pending and time.perf_counter() - self.last_commit >= BATCH_SECONDS):
            self._commit()

    def _commit(self) -> None:
        if self.pending:
            self.store.save_calls(self.pending, replaces=self._replaced(self.pending))
            self.committed += len(self.pending)
            self.pending = []
        if self.moves:
            self.store.move_calls(self.moves)
            self.report.moved += len(self.moves)
            self.moves = []
        if self.new_stats:   # a cache: losing it costs a re-hash, never a wrong skip
            self.store.save_file_stats(self.new_stats)
            self.new_stats = []
        self.last_commit = time.perf_counter()

    def _replaced(self, pending: list[tuple]) -> list[tuple[str, str, str]]:
        """(old id, new id, rubric) of stored calls that `pending` calls replace: read from the
        same bytes, under another id, from a file that is this one or is gone (renamed, moved,
        or given an id by a calls.csv added since). A copy that still exists elsewhere is
        another call, and a call this run claimed is never replaced."""
        if self.same is None:
            self.same = self.store.same_files(self.rubric.rubric)
        out = []
        for score, _ in pending:
            if score.file_hash is None:
                continue
            new = score.meta.call_id
            kept = []
            for old, origin in self.same.get(score.file_hash, []):
                if old != new and old not in self.first_file and origin is not None and (
                        origin == score.origin or not os.path.exists(origin)):
                    out.append((old, new, self.rubric.rubric))
                    self.report.replaced.append((old, new))
                elif old != new:
                    kept.append((old, origin))
            self.same[score.file_hash] = kept + [(new, score.origin)]
        return out

    def _last_commit(self) -> None:
        """After a stop signal: commit what finished, waiting for a lock only briefly (the
        user asked to stop); what cannot be stored is counted in `report.unsaved`."""
        wait, self.store.lock_wait = self.store.lock_wait, min(self.store.lock_wait,
                                                                FINAL_LOCK_WAIT)
        self.store.on_wait = None
        try:
            self._commit()
        except StoreError as e:
            self.report.unsaved, self.report.unsaved_why = len(self.pending), e
        finally:
            self.store.lock_wait = wait

    def _store_failed(self, e: StoreError) -> StoreError:
        """`e` with what the run stored: every committed call is whole; say what was not."""
        n = self.committed
        kept = f"{n:,} call{'s' * (n != 1)} of this run {'are' if n != 1 else 'is'} stored, " \
               f"each whole"
        if self.pending:
            kept += f"; {len(self.pending):,} scored since the last commit could not be"
        hint = e.hint
        if e.transient:
            hint = f"{hint + ', then ' if hint else ''}run the same command again: it scores " \
                   f"only what is missing"
        failed = StoreError(f"{e.message}; {kept}", path=e.path, line=e.line, key=e.key,
                            hint=hint)
        failed.transient = e.transient
        failed.report = self.report   # the run's file errors and notes, for the CLI to show
        return failed

    def _workers_died(self) -> None:
        """A worker process was killed: by the SIGTERM a process group gets from `timeout`
        or a service manager (then the run stops as for any signal: this process got it too,
        perhaps a moment later), or by the system (out of memory)."""
        deadline = time.monotonic() + 1.0
        while self.stop_signal is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.stop_signal is not None:
            raise KeyboardInterrupt
        raise CallcoachError("a worker process died while scoring (killed, or out of memory?)",
                             hint="run the same command again: it scores only what is missing; "
                                  "--jobs 1 scores in this process")

    # -- signals ---------------------------------------------------------------------------
    def _catch_signals(self) -> dict:
        """Defer SIGINT/SIGTERM to the next safe point, if we may (main thread, default
        handlers): then a signal never lands in the middle of a commit."""
        previous: dict = {}
        if threading.current_thread() is not threading.main_thread():
            return previous
        for signum, default in ((signal.SIGINT, signal.default_int_handler),
                                (signal.SIGTERM, signal.SIG_DFL)):
            if signal.getsignal(signum) is default:
                previous[signum] = signal.signal(signum, self._on_signal)
        return previous

    def _on_signal(self, signum, frame) -> None:
        self.stop_signal = signum
        if self.interruptible:
            self.interruptible = False
            raise KeyboardInterrupt

    def _waiting(self, items: Iterator) -> Iterator:
        """`items`, a stop signal ending the wait for each one at once (a model's answer can
        take a minute); what is done with an item is never interrupted."""
        while True:
            self.interruptible = True
            try:
                item = next(items, _DONE)
            finally:
                self.interruptible = False
            if item is _DONE:
                return
            yield item

    def _waiting_for_lock(self, seconds: float) -> None:
        """While the store waits for another process's lock: a stop signal ends the wait."""
        self._check_stop()

    def _check_stop(self) -> None:
        if self.stop_signal is not None:
            raise KeyboardInterrupt

    @staticmethod
    def _restore_signals(previous: dict) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def _close_pool(self, *, cancel: bool) -> None:
        """Shut the workers down: when cancelling, terminate them first, so a call being
        scored (a huge one takes seconds) does not hold up the stop."""
        if self.pool is None:
            return
        if cancel:
            # No public way to stop running tasks before Python 3.14's terminate_workers().
            # SIGKILL: the work is thrown away, and nothing in a worker can delay or swallow
            # it (see _after_fork_in_child for what a swallowed SIGTERM once did).
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
        self.pool.shutdown(wait=True, cancel_futures=cancel)
        self.pool = None
