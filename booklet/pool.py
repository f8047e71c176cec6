"""Independent builds across the cores, one process per core.

WeasyPrint is pure Python under the GIL, so threads would not help: each worker
process sets itself up once (fonts, layout, the parsed source) and then takes jobs.
A job's outcome comes back as plain data, errors included, so that one failed job
never stops the others.

Workers end with the command, whatever ends it: they ignore Ctrl-C (the command
handles it, once, and cancels what has not started), and on Linux the kernel
stops them when the command's process is gone, even killed (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from booklet.export import Written

Job = TypeVar("Job")
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass(frozen=True)
class Outcome:
    """What became of one job: what it wrote, or its error as the CLI prints it."""

    written: tuple[Written, ...] = ()
    error: str | None = None  # one message per line
    exit_code: int = 0
    warnings: tuple[str, ...] = ()


def run_jobs(
    jobs: Sequence[Job],
    work: Callable[[Job], Outcome],
    start: Callable[..., None],
    start_args: tuple = (),
    name: Callable[[Job], str] = str,
) -> Iterator[Outcome]:
    """Each job's outcome, in the order they finish. `start(*start_args)` prepares a
    worker; `work` must be a module-level function (it is pickled by name). One job
    runs in this process: a pool would only add its start-up. `name(job)` names a
    job in the error of a worker that failed unexpectedly."""
    if not jobs:
        return
    if len(jobs) == 1:
        start(*start_args)
        yield work(jobs[0])
        return
    # Here, not at the top: a build of one source does not pay for importing them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    others = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        max_workers=min(os.cpu_count() or 1, len(jobs)),
        initializer=_worker,
        initargs=(os.getpid(), start, start_args),
    )
    finished, workers = False, set()
    try:
        futures = {pool.submit(work, job): job for job in jobs}
        workers = set(multiprocessing.active_children()) - others
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Outcome(
                    error=f"{name(futures[future])}: a worker process stopped; build again",
                    exit_code=1,
                )
            except Exception as err:  # a bug in one job: say which job and what kind
                yield Outcome(
                    error=f"{name(futures[future])}: failed unexpectedly "
                    f"({type(err).__name__}: {err}); please report this",
                    exit_code=1,
                )
        finished = True
    finally:
        # On Ctrl-C (or any early end) nothing more starts, and the workers stop now:
        # a job cut short leaves only temporary files, which the next build removes.
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:
            for process in workers:
                process.terminate()


def _worker(parent: int, start: Callable[..., None], start_args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):  # not the command's own handlers
        signal.signal(number, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the command ended before we asked
            os._exit(1)
    start(*start_args)
