"""Command line: parse arguments, run the build, print results and errors.

The only module that prints errors or chooses an exit code; `main(argv)` returns it,
so tests call `main([...])` directly.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn, TextIO

from booklet import __version__
from booklet.build import DEFAULT_OPTIONS, build_sources, check_outputs, find_sources
from booklet.errors import BookletError, BuildWarning, UsageError
from booklet.export import ALL, FORMATS, Written, left_out, resolve_formats
from booklet.paper import PAPERS
from booklet.pool import Outcome
from booklet.project import settle

# A client's handout unless --format says more (pdf, sheet, booklet: handouts.py).
CLIENT_DEFAULT_FORMATS = ("pdf",)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that prints to the streams `main` was given, not to sys.*."""

    def __init__(self, *args, stdout: TextIO, stderr: TextIO, **kwargs):
        super().__init__(*args, **kwargs)
        self._streams = {"out": stdout, "err": stderr}

    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        if message:
            stream = self._streams["err" if file is sys.stderr else "out"]
            stream.write(message)


# Commands other than a build, `make-booklet NAME ...`: each a module with
# `add_arguments(parser)` and `run(args, stdout) -> int` that raises BookletError,
# imported only when its command is given.
COMMANDS: dict[str, tuple[str, str]] = {  # name -> (module, what it does)
    "new": (
        "booklet.newproject",
        "make a new project folder that builds as it is, to edit into your own",
    ),
    "import": (
        "booklet.importer.command",
        "turn a saved web page, a .docx/.odt, text or Markdown into a draft source",
    ),
    "figures": (
        "booklet.poses.command",
        "list the library of exercise figures, draw them on a sheet, or copy one to change",
    ),
}


def program_name() -> str:
    """The command as the user typed it, for --help and usage lines."""
    typed = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if typed == "__main__.py":
        return "python -m booklet"
    return typed if typed in ("make_booklet.py", "make-booklet") else "make-booklet"


def build_parser(
    stdout: TextIO | None = None, stderr: TextIO | None = None
) -> argparse.ArgumentParser:
    formats = ", ".join(f"{fmt.name} ({fmt.description})" for fmt in FORMATS.values())
    prog = program_name()
    commands = "".join(f"\n  {prog} {name}: {about}" for name, (_, about) in COMMANDS.items())
    parser = _Parser(
        stdout=stdout or sys.stdout,
        stderr=stderr or sys.stderr,
        prog=prog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Turn Markdown articles into a print-ready PDF handout and an EPUB.",
        epilog=f"Example: {prog} source/hamstring-exercises-for-runners.md --paper a4"
        + (f"\n\nOther commands ({prog} COMMAND --help for more):{commands}\n" if commands else ""),
    )
    parser.add_argument(
        "sources",
        nargs="*",
        type=Path,
        metavar="SOURCE.md",
        help="Markdown sources to build (default: every .md file in the source/ folder)",
    )
    # Left out, an option takes the project's booklet.yaml's value, then the default.
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for the outputs, NAME.pdf and NAME.epub (default: booklet.yaml's "
        f"out, else the project's {DEFAULT_OPTIONS.out}/)",
    )
    parser.add_argument(
        "--format",
        metavar="LIST",
        help=f"comma-separated formats to build: {formats}; or all (default: booklet.yaml's "
        f"formats, else {','.join(DEFAULT_OPTIONS.formats)}; with --clients: "
        f"{','.join(CLIENT_DEFAULT_FORMATS)})",
    )
    parser.add_argument(
        "--paper",
        choices=PAPERS,
        help="paper size of the PDFs (default: the source's front matter, else booklet.yaml, "
        "else the paper of the source's language region: Letter for en-US, A4 for en-GB)",
    )
    parser.add_argument(
        "--layout",
        metavar="NAME",
        help="layout to use: the project's layouts/NAME/ overrides the bundled default "
        f"one template at a time (default: booklet.yaml's, else {DEFAULT_OPTIONS.layout})",
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="project folder holding source/, images/, fonts/, layouts/ and booklet.yaml "
        "(default: the nearest folder above the source with a booklet.yaml, else the "
        "folder above source/, else the current folder)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (such as an exercise that does not fit its page) as errors",
    )
    parser.add_argument(
        "--clients",
        type=Path,
        metavar="CSV",
        help="build a personalised handout PDF for each client in this CSV (columns: name, "
        "email, exercises, dose, note) into DIR/clients/NAME/; needs one SOURCE; "
        "--format may add sheet and booklet",
    )
    parser.add_argument(
        "--eml",
        action="store_true",
        help="with --clients, also write an e-mail draft (.eml) with the handout (and the "
        "sheet) attached",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="build, then rebuild whenever the source, a layout, an image or a font changes "
        "(Ctrl-C stops)",
    )
    parser.add_argument(
        "--pdf-ua",
        action="store_true",
        help="declare the handout PDF as PDF/UA-1 (accessible PDF; it is always tagged)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say more about what the build does (also BOOKLET_DEBUG=1)",
    )
    parser.add_argument("--version", action="version", version=f"booklet {__version__}")
    return parser


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    verbose = "-v" in argv or "--verbose" in argv or os.environ.get("BOOKLET_DEBUG") == "1"
    with _said_on(stderr, verbose), _signals_stop():
        try:
            if argv and argv[0] in COMMANDS:
                return _command(argv[0], argv[1:], stdout, stderr)
            return _build(argv, stdout, stderr)
        except KeyboardInterrupt:
            print(
                "error: stopped; the files already written are whole, the others were not touched",
                file=stderr,
            )
            return 130
        except BrokenPipeError:
            # The reader went away (`make-booklet figures | head`): stop quietly, as
            # other commands do; the output that is left goes nowhere.
            _quiet_after_broken_pipe(stdout)
            return 141


def run() -> NoReturn:
    """The command's entry point: `main`, then out of the process without the
    interpreter's teardown. Every output is whole and in place once `main` returns;
    what is left is WeasyPrint's fonts, layouts and Pango objects, and letting them go
    one by one cost 0.04 s of our article's build and 0.09 s of 50 exercises'.

    What their teardown would have removed is in a scratch folder of our own, which
    goes: WeasyPrint copies a document's fonts into a temporary folder that only its
    font configuration's finaliser deletes, in this process and in every worker."""
    try:
        scratch = tempfile.TemporaryDirectory(prefix="booklet-")
    except OSError:  # no temporary folder to write in: main says what fails for want of it
        os._exit(_flushed(main()))
    with scratch:
        tempfile.tempdir = scratch.name  # the default folder of mkdtemp, workers' included
        try:
            code = main()
        finally:
            tempfile.tempdir = None
    os._exit(_flushed(code))


def _flushed(code: int) -> int:
    """`code`, once what is left of the output is written; as Python's own exit would
    say, a write that fails is an error (a full disk) or a reader gone (141)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _quiet_after_broken_pipe(sys.stdout)
        code = code or 141
    except (OSError, ValueError) as err:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(f"error: cannot write the output ({err}); free some space", file=sys.stderr)
        code = code or 1
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    return code


def _quiet_after_broken_pipe(stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def _build(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error argparse printed
        return int(exit_.code or 0)

    try:
        formats, names = None, []
        if args.format is not None:
            names = [n.strip() for n in args.format.split(",") if n.strip()]
            # `all` on a paper named here: the formats made on it (left_out says which not).
            formats = resolve_formats(names, args.paper)
        elif args.clients:  # a client's handout, whatever booklet.yaml builds for a source
            formats = CLIENT_DEFAULT_FORMATS
        options = settle(
            args.sources,
            out=args.out,
            formats=formats,
            paper=args.paper,
            layout=args.layout,
            project=args.project,
            strict=args.strict,
            pdf_ua=args.pdf_ua,
            all_formats=ALL in names,
        )
        for name, why in left_out(names, args.paper):
            print(f"left out {name} ({FORMATS[name].description}): {why}", file=stdout)
        for message in options.settings.warnings:  # about the project, once for all its sources
            if options.strict:
                raise BuildWarning(f"{message} (an error because of --strict)")
            print(f"warning: {message}", file=stderr)
        if args.clients:
            return _build_clients(options, args, stdout, stderr)
        if args.eml:
            raise UsageError("--eml goes with --clients CSV: the drafts are one per client")
        sources = find_sources(options)
        if args.watch:
            from booklet.watch import watch

            check_outputs(options, sources)
            return watch(options, sources, stdout, stderr)
        started = time.perf_counter()
        built, exit_code = _report(build_sources(options, sources), len(sources), stdout, stderr)
    except BookletError as err:
        _print_error(err, stderr)
        return err.exit_code
    if len(sources) > 1:
        seconds = time.perf_counter() - started
        _summary(
            f"built {built} of {len(sources)} sources in {seconds:.1f} s",
            built,
            len(sources),
            stdout,
        )
    return exit_code


def _command(name: str, argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """`make-booklet NAME ...`: a command other than a build."""
    module_name, about = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = _Parser(
        stdout=stdout, stderr=stderr, prog=f"{program_name()} {name}", description=about
    )
    module.add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return module.run(args, stdout)
    except BookletError as err:
        _print_error(err, stderr)
        return err.exit_code


def _build_clients(options, args, stdout: TextIO, stderr: TextIO) -> int:
    """A handout (and with --eml a draft e-mail) for each client of the CSV."""
    from booklet.handouts import build_handouts, prepare_clients

    options, clients = prepare_clients(options, args.clients, args.eml)
    outcomes = build_handouts(options, options.sources[0], args.clients, clients, args.eml)
    built, exit_code = _report(outcomes, len(clients), stdout, stderr, unit="client")
    _summary(f"built handouts for {built} of {len(clients)} clients", built, len(clients), stdout)
    return exit_code


def _summary(done: str, built: int, total: int, stdout: TextIO) -> None:
    failed = total - built
    print(done + (f"; {failed} failed (see above)" if failed else ""), file=stdout)


def _report(
    outcomes: Iterable[Outcome], total: int, stdout: TextIO, stderr: TextIO, unit: str = "source"
) -> tuple[int, int]:
    """Print each outcome as it comes, under a progress bar when there are several
    and stderr is a terminal. Returns how many were built and the worst exit code."""
    built, exit_code = 0, 0
    with _progress(total, unit, stderr) as progress:
        for outcome in outcomes:
            progress.update()
            for warning in outcome.warnings:
                progress.write(f"warning: {warning}", file=stderr)
            if outcome.error:
                # One bad job does not stop the others; each error is its own line(s).
                for line in outcome.error.splitlines():
                    progress.write(f"error: {line}", file=stderr)
                exit_code = max(exit_code, outcome.exit_code)
            else:
                built += 1
                for written in outcome.written:
                    progress.write(_describe(written), file=stdout)
    return built, exit_code


def _progress(total: int, unit: str, stderr: TextIO):
    """A tqdm bar, or plain lines where there is nothing to show progress of. No tqdm
    at all then: its monitor thread would keep the build from forking its typesetter."""
    if total > 1 and stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, unit=unit, file=stderr)
    return _Lines()


class _Lines(contextlib.AbstractContextManager):
    def update(self) -> None:
        pass

    def write(self, text: str, file: TextIO) -> None:
        print(text, file=file)

    def __exit__(self, *exc) -> None:
        return None


@contextlib.contextmanager
def _said_on(stderr: TextIO, verbose: bool):
    """What the library logs (a cache it cannot use; with -v, what the build did)
    is said on stderr, one line each, while the command runs."""
    logger = logging.getLogger("booklet")
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(_LevelPrefix())
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


class _LevelPrefix(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


@contextlib.contextmanager
def _signals_stop():
    """SIGTERM and SIGHUP stop a command as Ctrl-C does: what is being written is
    cleaned up, the workers stop, one line is said."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, frame):
        raise KeyboardInterrupt

    kept = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)


def _print_error(err: BookletError, stderr: TextIO) -> None:
    for line in str(err).splitlines():
        print(f"error: {line}", file=stderr)


def _describe(written: Written) -> str:
    size = (
        f"{written.size / 1024:.0f} KB"
        if written.size < 1024 * 1024
        else f"{written.size / 1048576:.1f} MB"
    )
    pages = ""
    if written.pages:
        pages = f", {written.pages} page{'' if written.pages == 1 else 's'}"
    return f"wrote {written.path} ({size}{pages})"
