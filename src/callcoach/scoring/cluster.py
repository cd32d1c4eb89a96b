"""Scoring on a Dask cluster: `callcoach score PATHS --cluster tcp://scheduler:8786`, or
`--cluster local:N` for a LocalCluster of N single-threaded worker processes on this machine.

Only the scoring moves: this process still discovers the files, skips the unchanged ones and
is the one writer to the store, committing in the same batches as with `--jobs`, so the
store ends up exactly as a `--jobs` run leaves it. Each worker compiles the rubric once per
run (it is scattered to every worker, as is the set of transcripts already stored), and
reads each file by its absolute path: the paths must be readable by the workers at the same
place (a shared filesystem), docs/cluster.md.

    with ClusterPool("local:2", rubric, frozenset()) as pool:
        future = pool.submit(batch._score_chunk, sources)   # what a ProcessPoolExecutor takes
"""
from __future__ import annotations

import logging
import time

from callcoach.errors import UsageError

EXTRA_HINT = "pip install 'callcoach[dask]'"
CONNECT_TIMEOUT = "30s"


def require_dask() -> None:
    """A UsageError naming the extra when dask.distributed is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError as e:
        raise UsageError(f"--cluster needs the 'dask' extra, which is not installed "
                         f"({e.name or e} is missing)", key="--cluster", hint=EXTRA_HINT) from None


def check_address(address: str) -> str:
    """`tcp://HOST:PORT` (any scheme Dask speaks) or `local:N`; else a usage error."""
    if address.startswith("local:"):
        n = address.removeprefix("local:")
        if not n.isdigit() or int(n) < 1:
            raise UsageError(f"--cluster {address!r}: local:N needs a number of workers",
                             key="--cluster", hint="e.g. --cluster local:2")
    elif "://" not in address:
        raise UsageError(f"--cluster {address!r} is not a scheduler address or local:N",
                         key="--cluster",
                         hint="e.g. --cluster tcp://scheduler:8786 or --cluster local:2")
    return address


class ClusterPool:
    """The worker pool of a run, on Dask: `submit` and `shutdown` as a ProcessPoolExecutor's."""

    def __init__(self, address: str, rubric, stored: frozenset):
        require_dask()
        from distributed import Client, LocalCluster

        check_address(address)
        self.cluster = None
        if address.startswith("local:"):
            # processes on the loopback only, no dashboard: a scoring run, not a service
            self.cluster = LocalCluster(n_workers=int(address.removeprefix("local:")),
                                        threads_per_worker=1, processes=True, host="127.0.0.1",
                                        dashboard_address=None, silence_logs=logging.ERROR)
        try:
            self.client = Client(self.cluster or address, timeout=CONNECT_TIMEOUT,
                                 set_as_default=False)
        except OSError as e:
            self._close_cluster()
            raise UsageError(f"--cluster {address}: cannot reach the scheduler ({e})",
                             key="--cluster", hint="is the scheduler running, and is the "
                                                   "address host:port right?") from None
        try:
            self.workers = max(1, sum(self.client.nthreads().values()))
            # each in a list: a set on its own would be scattered element by element
            [self.rubric, self.stored] = self.client.scatter([rubric, stored], broadcast=True,
                                                             hash=False)
        except BaseException:
            self.shutdown()
            raise

    def submit(self, fn, *args):
        return self.client.submit(_on_worker, fn, self.rubric, self.stored, *args, pure=False)

    def wait(self, future, timeout: float) -> bool:
        """Whether `future` is done within `timeout` seconds (distributed's own
        result(timeout=) can fail inside Dask on a timeout)."""
        deadline = time.monotonic() + timeout
        while not future.done():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.client.close()
        self._close_cluster()

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self) -> "ClusterPool":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def _on_worker(fn, rubric, stored: frozenset, *args):
    """Run `fn` on a worker with the run's rubric compiled (once per worker process and run)
    and its stored transcripts known, as `batch._init_worker` does for --jobs workers."""
    from callcoach.scoring import batch

    if batch._stored is not stored or batch._compiled_hash != rubric.content_hash:
        batch.load_rubric(rubric, stored)
    return fn(*args)
