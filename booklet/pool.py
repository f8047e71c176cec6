"""Independent builds across the cores, one process per core.

WeasyPrint is pure Python under the GIL, so threads would not help: each worker
process sets itself up once (fonts, layout, the parsed source) and then takes jobs.
A job's outcome comes back as plain data, errors included, so that one failed job
never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TypeVar

from booklet.export import Written

Job = TypeVar("Job")


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
) -> Iterator[Outcome]:
    """Each job's outcome, in the order they finish. `start(*start_args)` prepares a
    worker; `work` must be a module-level function (it is pickled by name). One job
    runs in this process: a pool would only add its start-up."""
    if not jobs:
        return
    if len(jobs) == 1:
        start(*start_args)
        yield work(jobs[0])
        return
    workers = min(os.cpu_count() or 1, len(jobs))
    with ProcessPoolExecutor(max_workers=workers, initializer=start, initargs=start_args) as pool:
        for future in as_completed([pool.submit(work, job) for job in jobs]):
            yield future.result()
