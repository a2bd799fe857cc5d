"""Beyond one machine: partitions of texts on a Dask cluster, results merged in input order.

Each partition is one Dask task whose inputs are its texts and a :class:`Job` (paths and
settings, a few hundred bytes). A worker builds the job's work (loads the pipeline and
the patterns) once and keeps it for every later partition. Results (spans, not Docs)
come back in input order; at most a few partitions per worker are in flight, so the
client's memory does not grow with the corpus. When a worker dies, the scheduler runs
its partitions again on another worker; each result is taken once, so nothing is lost
or doubled.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ClusterError, ExtraError, NerforgeError, ParameterError
from ..version import __version__
from .jobs import Job

# dask ships partial type hints: its Client and Future are typed as Any here
DaskClient = Any
DaskFuture = Any

LOCAL = re.compile(r"local(?::(\d+))?")
CONNECT_TIMEOUT_S = 30  # a scheduler that does not answer in this time is reported (E058)
# times a partition may be lost with a dying worker before the run stops (Dask's default is 3)
ALLOWED_FAILURES = 3

# Partitions in flight per worker: more than the local pool's 2, since each one costs the
# round trips through the scheduler. `python bench/scale.py`-style timing of predict with the
# demo model on 1.09M words, LocalCluster of 2 forked workers, quiet 2-core machine: 2 in
# flight 46.9 s, 4: 40.9 s, 8: 39.5 s; --n-process 2: 37.6 s.
IN_FLIGHT_PER_WORKER = 8
# A LocalCluster's workers fork from this process, which has spaCy imported already, instead
# of starting fresh and importing it (about 5 s each on a 2-core machine). Same timing as
# above, 2 in flight: spawned workers 58.0 s, forked 46.9 s.
LOCAL_START_METHOD = "fork"

# Per worker process: the work each job was built into (built once, used by every partition).
_built: dict[Any, Callable[[list[str]], list[Any]]] = {}
_build_lock = threading.Lock()


def _run_partition(job: Job[Any], texts: list[str], version: str) -> list[Any]:
    """Runs on a worker: build the job's work once per process, then apply it.

    Results are nerforge's own types: a worker with another nerforge could not send
    back what this one reads, so the versions must agree.
    """
    if version != __version__:  # the worker's own nerforge, imported where it runs
        raise ClusterError("E059", detail=f"a worker has nerforge {__version__}, this machine {version}")
    return _built_work(job)(texts)


def _built_work(job: Job[Any]) -> Callable[[list[str]], list[Any]]:
    """The job's work, built on first use in this process."""
    with _build_lock:
        work = _built.get(job)
        if work is None:
            work = _built[job] = job.build()
    return work


def check_scheduler(value: str) -> str:
    """Check a scheduler option: 'local', 'local:N' (N >= 1) or an address with a port."""
    match = LOCAL.fullmatch(value)
    if match and (match.group(1) is None or int(match.group(1)) >= 1):
        return value
    if not value.startswith("local") and re.fullmatch(
        r"(tcp|tls|inproc|ucx|ws|wss)://[^\s]+:\d+|[A-Za-z0-9_.-]+:\d+", value
    ):
        return value
    raise ParameterError("E056", value=value)


def map_on_dask(job: Job[Any], batches: Iterable[list[str]], *, scheduler: str) -> Iterator[list[Any]]:
    """Yield the job's results for each batch (a partition), in input order, from a cluster.

    For a LocalCluster the work is built here first: its workers fork from this process
    and find it built, instead of each loading the pipeline again. This process lets go of
    it when the run ends.
    """
    prebuilt = LOCAL.fullmatch(check_scheduler(scheduler)) is not None and job not in _built
    if prebuilt:
        _built_work(job)
    try:
        yield from _map_partitions(job, batches, scheduler)
    finally:
        if prebuilt:
            _built.pop(job, None)


def _map_partitions(job: Job[Any], batches: Iterable[list[str]], scheduler: str) -> Iterator[list[Any]]:
    with _connect(scheduler) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = IN_FLIGHT_PER_WORKER * n_workers
        run = uuid.uuid4().hex[:12]
        pending: deque[DaskFuture] = deque()
        for index, batch in enumerate(batches):
            key = f"nerforge-{run}-{index}"
            pending.append(client.submit(_run_partition, job, batch, __version__, key=key, pure=False))
            if len(pending) >= limit:
                yield _take(pending.popleft())
        while pending:
            yield _take(pending.popleft())


def _take(future: DaskFuture) -> list[Any]:
    from distributed.scheduler import KilledWorker  # noqa: PLC0415 - dask is an optional extra

    try:
        result: list[Any] = future.result()
    except KilledWorker as err:
        raise ClusterError("E059", detail=f"its workers died {ALLOWED_FAILURES} times ({err})") from None
    except (NerforgeError, ImportError) as err:  # raised on a worker: a path or package it lacks
        raise ClusterError("E059", detail=str(err)) from None
    finally:
        future.release()  # the worker may drop the result now
    return result


@contextlib.contextmanager
def _connect(scheduler: str) -> Iterator[DaskClient]:
    try:
        import dask  # noqa: PLC0415 - dask is an optional extra
        from distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError as err:
        raise ExtraError(
            "E404", feature="The Dask backend", extra="dask", missing=err.name or str(err)
        ) from None
    match = LOCAL.fullmatch(scheduler)
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        if match is None:
            client = _client_at(Client, scheduler)
            with client:
                yield client
            return
        n_workers = int(match.group(1)) if match.group(1) else usable_cpus()
        import spacy  # noqa: F401, PLC0415 - imported before the workers fork, so they share it

        # one thread per worker: spaCy holds the GIL, so threads would not run in parallel
        with (
            dask.config.set({"distributed.worker.multiprocessing-method": LOCAL_START_METHOD}),
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield client


def _client_at(client_type: Any, address: str) -> DaskClient:
    try:
        return client_type(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as err:
        raise ClusterError("E058", address=address, detail=str(err) or type(err).__name__) from None


def usable_cpus() -> int:
    """The cores this process may run on (its affinity), not the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
