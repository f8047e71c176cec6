"""One export run in a forked child process while this process does the others.

A cold build of the handout and the EPUB spends its time laying out and drawing
the handout; the EPUB needs that same layout (for its cover and print page
numbers) and then only packs files. Forked after the layout, the child inherits
the laid-out handout without copying or pickling it and makes the EPUB on the
second core while this process writes the PDF. Warnings and errors come back
over a pipe as plain text and are raised or reported here, as if the export had
run in this process.

Only where fork is safe and useful: on POSIX, in a process with a single thread,
and not inside a worker of a pool (those already keep every core busy).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from booklet.errors import BookletError
from booklet.export import ExportJob, Written

Exporter = Callable[[ExportJob, Path], Written]


class ForwardedError(BookletError):
    """An error raised in the child, with its message and exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def can_fork() -> bool:
    return (
        sys.platform != "win32"
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and multiprocessing.parent_process() is None
    )


class Alongside:
    """`exporter(job, target)` running in a forked child; `result()` waits for it."""

    def __init__(self, exporter: Exporter, job: ExportJob, target: Path):
        self.job = job
        receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.receive = receive
        self.process = multiprocessing.get_context("fork").Process(
            target=_run, args=(exporter, job, target, send), daemon=True
        )
        self.process.start()
        send.close()

    def result(self) -> Written:
        try:
            outcome = self.receive.recv()
        except EOFError:
            outcome = ("error", "the EPUB export stopped without a word", 1, [])
        finally:
            self.receive.close()
            self.process.join()
        kind, value, exit_code, warnings = outcome
        for message in warnings:
            self.job.warn(message)  # here, so --strict turns it into an error as usual
        if kind == "error":
            raise ForwardedError(value, exit_code)
        return value


def _run(exporter: Exporter, job: ExportJob, target: Path, send) -> None:
    warnings: list[str] = []
    try:
        written = exporter(replace(job, warn=warnings.append), target)
        send.send(("ok", written, 0, warnings))
    except BookletError as err:
        send.send(("error", str(err), err.exit_code, warnings))
    except Exception as err:
        send.send(("error", f"{target}: the export failed: {type(err).__name__}: {err}", 1, []))
    finally:
        send.close()
