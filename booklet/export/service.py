"""Where the typesetter works: in this process, or in a process of its own.

A build spends most of its time in WeasyPrint: importing it, laying out, writing the
PDF. In a process of its own, started before this one imports Jinja, Markdown and
the rest, the typesetter imports WeasyPrint while this process parses and renders,
and it writes the PDF while this process makes the EPUB. --watch keeps it running
between builds, with its fonts and each part's layout (export/typeset.py).

Both kinds take a batch of tasks (export/tasks.py) and give back one `Answer` per
task, in order; the batch stops at the first error. Only plain data crosses: the
tasks, the answers, and errors and warnings as text.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import BookletError, BuildWarning
from booklet.export import Plan, Written
from booklet.export.tasks import Task


@dataclass(frozen=True)
class Answer:
    value: object = None
    warnings: tuple[str, ...] = ()
    error: str | None = None  # one message per line, as the CLI prints it
    exit_code: int = 0


class TypesetterError(BookletError):
    """An error the typesetter reported, with its message and exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def can_fork() -> bool:
    """Fork is safe and useful: POSIX, a second core, no other thread in this process,
    and not a worker of a pool (those already keep every core busy)."""
    return (
        sys.platform != "win32"
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and multiprocessing.parent_process() is None
    )


class LocalTypesetter:
    """The typesetter in this process; made on first use, then kept (a pool worker
    building many sources loads the fonts once)."""

    _shared: LocalTypesetter | None = None
    alive = True

    def __init__(self) -> None:
        self._typesetter = None

    @classmethod
    def shared(cls) -> LocalTypesetter:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    @property
    def typesetter(self):
        if self._typesetter is None:
            from booklet.export.typeset import Typesetter

            self._typesetter = Typesetter()
            # Let go of the layouts, then the fonts, while the libraries are still
            # there: left to the end of the interpreter, Pango objects can be freed
            # after what they hang on, and the process crashes on its way out.
            self._release = weakref.finalize(self, _release, self._typesetter)
        return self._typesetter

    def submit(self, tasks: Sequence[Task], source: Path, strict: bool) -> Iterator[Answer]:
        return _perform_all(self.typesetter, tasks, source, strict)

    def close(self) -> None:
        if self._typesetter is not None:
            self._release()
            self._typesetter = None


def _release(typesetter) -> None:
    typesetter.forget()
    gc.collect()


class TypesetterProcess:
    """The typesetter in a child process: forked (a cold build, so that it starts at
    once) or spawned (where this process runs threads, as --watch does).

    Every answer the child sends is read, even those of a batch this process gave up
    on (a failure here, mid-build): a child left blocked on a full pipe while this
    process sends it the next batch would leave both waiting for ever. A batch goes
    out from a thread, so that a large one (images travel with it) never holds this
    process up while the child is still importing WeasyPrint."""

    STOPPED = "the typesetter stopped unexpectedly; build again"

    def __init__(self, method: str = "fork"):
        context = multiprocessing.get_context(method)
        self._connection, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child,), daemon=True)
        self._process.start()
        child.close()
        self._batches = itertools.count(1)
        self._expected: dict[int, int] = {}  # batch -> answers still to come
        self._sender: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def submit(self, tasks: Sequence[Task], source: Path, strict: bool) -> Iterator[Answer]:
        """Send the batch now; its answers come as the returned iterator is read."""
        self._finish_sending()
        self._drain()  # what is left of earlier batches
        batch = next(self._batches)
        self._expected[batch] = len(tasks)
        message = (batch, list(tasks), source, strict)
        self._sender = threading.Thread(target=self._send, args=(message,), daemon=True)
        self._sender.start()
        return self._answers(batch)

    def _send(self, message) -> None:
        with contextlib.suppress(OSError):  # it has stopped: the answers will say so
            self._connection.send(message)

    def _finish_sending(self) -> None:
        if self._sender is not None:
            self._sender.join()
            self._sender = None

    def _answers(self, batch: int) -> Iterator[Answer]:
        while self._expected.get(batch):
            number, answer = self._receive()
            if number in (batch, None):  # None: the child died
                yield answer

    def _receive(self, timeout: float | None = None) -> tuple[int | None, Answer]:
        """The next answer, from whichever batch; a made-up error if the child died."""
        try:
            if timeout is not None and not self._connection.poll(timeout):
                raise TimeoutError
            number, answer = self._connection.recv()
        except (EOFError, OSError):
            self._expected.clear()
            return None, Answer(error=self.STOPPED, exit_code=1)
        self._expected[number] = 0 if answer.error else self._expected.get(number, 1) - 1
        if not self._expected[number]:
            del self._expected[number]
        return number, answer

    def _drain(self, timeout: float | None = None) -> None:
        """Read and drop answers until every batch sent is answered."""
        while self._expected:
            try:
                self._receive(timeout)
            except TimeoutError:
                return

    def close(self) -> None:
        """Let the typesetter finish what it is writing (its files come out whole),
        then stop it. With nothing left unanswered, stop it at once (it may be
        importing WeasyPrint, for a build that already failed here)."""
        self._finish_sending()
        if self._expected:
            self._drain(timeout=60)
            with contextlib.suppress(OSError):
                self._connection.send(None)
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._connection.close()


def serve(connection) -> None:
    """The typesetter's process: import WeasyPrint, then carry out batches until told
    to stop. Ctrl-C is for the parent, which stops this process when it stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from booklet.export.typeset import Typesetter

    typesetter = Typesetter()
    try:
        while (message := connection.recv()) is not None:
            batch, tasks, source, strict = message
            for answer in _perform_all(typesetter, tasks, source, strict):
                connection.send((batch, answer))
    except (EOFError, OSError):  # the parent has gone
        return


def _perform_all(typesetter, tasks: Sequence[Task], source: Path, strict: bool) -> Iterator[Answer]:
    from booklet.export.perform import perform

    typesetter.new_build()
    for task in tasks:
        warnings = _Warnings(source, strict)
        try:
            answer = Answer(perform(typesetter, task, warnings.add), tuple(warnings))
        except BookletError as err:
            answer = Answer(None, tuple(warnings), str(err), err.exit_code)
        except Exception as err:  # a bug: say what kind, and stop this batch
            message = f"{source}: the typesetter failed: {type(err).__name__}: {err}"
            answer = Answer(None, tuple(warnings), message, 1)
        yield answer
        if answer.error:
            return


class _Warnings(list):
    """A task's warnings; under --strict the first one is an error, which stops the
    task before it writes anything."""

    def __init__(self, source: Path, strict: bool):
        super().__init__()
        self.source, self.strict = source, strict

    def add(self, message: str) -> None:
        if self.strict:
            raise BuildWarning.strict(self.source, message)
        self.append(message)


def carry_out(
    typesetter: LocalTypesetter | TypesetterProcess,
    plans: dict[str, Plan],
    source: Path,
    strict: bool,
    warn: Callable[[str], None],
) -> dict[str, Written]:
    """Every plan carried out: their tasks in one batch, the most awaited first; each
    plan finishes as soon as its own tasks are answered."""
    order = sorted(
        (
            (task.priority, name, index)
            for name, plan in plans.items()
            for index, task in enumerate(plan.tasks)
        ),
        key=lambda item: item[0],
    )
    answers = typesetter.submit(
        [plans[name].tasks[index] for _, name, index in order], source, strict
    )
    values: dict[str, list[object]] = {
        name: [None] * len(plan.tasks) for name, plan in plans.items()
    }
    missing = {name: len(plan.tasks) for name, plan in plans.items()}
    said: set[str] = set()  # a warning about the layout comes from each output's layout
    try:
        for plan in plans.values():
            plan.prepare()
        written = {name: plan.finish([]) for name, plan in plans.items() if not plan.tasks}
        for (_, name, index), answer in zip(order, answers, strict=False):
            for message in answer.warnings:
                if message not in said:
                    said.add(message)
                    warn(message)
            if answer.error:
                raise TypesetterError(answer.error, answer.exit_code)
            values[name][index] = answer.value
            missing[name] -= 1
            if not missing[name]:
                written[name] = plans[name].finish(values[name])
    finally:
        # After a failure here, the typesetter still finishes the batch (the files it
        # is writing come out whole): wait for it, reading what it says.
        for _ in answers:
            pass
    return written
