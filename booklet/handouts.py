"""Personalised handouts for a list of clients, built in parallel across the cores.

One bad row does not stop the others: each client's outcome comes back on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from booklet.build import Builder, BuildOptions
from booklet.clients import Client
from booklet.clock import today
from booklet.errors import BookletError, SourceError, UsageError
from booklet.export import FORMATS
from booklet.pool import Outcome, run_jobs

CLIENTS_FOLDER = "clients"


def build_handouts(
    options: BuildOptions, source: Path, clients_file: Path, clients: list[Client], eml: bool
) -> Iterator[Outcome]:
    """Yield each client's outcome as it is ready (rows with problems first)."""
    for client in clients:
        if client.problems:
            yield Outcome(error=str(SourceError(clients_file, client.problems)), exit_code=2)
    good = [client for client in clients if not client.problems]
    yield from run_jobs(good, _build_one, _start_worker, (options, source, clients_file, eml))


_worker: dict = {}


def _start_worker(options: BuildOptions, source: Path, clients_file: Path, eml: bool) -> None:
    """Each worker parses the source and loads the layout and fonts once."""
    from booklet.parse import parse_booklet

    warnings: list[str] = []
    builder = Builder(options, warn=lambda source, message: warnings.append(f"{source}: {message}"))
    _worker.update(
        warnings=warnings,
        builder=builder,
        booklet=parse_booklet(source, builder.project, builder.accent),
        clients_file=clients_file,
        eml=eml,
    )


def _build_one(client: Client) -> Outcome:
    """The client's handout, and their e-mail draft with it attached: both or neither."""
    from booklet.mail import email_draft
    from booklet.personal import personalise

    builder: Builder = _worker["builder"]
    booklet = _worker["booklet"]
    clients_file: Path = _worker["clients_file"]
    warnings: list[str] = _worker["warnings"]
    warnings.clear()
    folder = builder.options.out / CLIENTS_FOLDER / client.slug
    targets = {
        name: folder / f"{booklet.stem}{FORMATS[name].suffix}" for name in builder.options.formats
    }
    handout = targets["pdf"]
    try:
        mine = personalise(booklet, client, clients_file, today())
        also = {}
        if _worker["eml"]:
            also[folder / f"{booklet.stem}.eml"] = lambda made: email_draft(
                builder.renderer, mine, client, made["pdf"].read_bytes(), handout.name
            )
        written = builder.export(mine, targets, Path(f"{clients_file}:{client.row}"), also)
        return Outcome(tuple(written), warnings=tuple(warnings))
    except BookletError as err:  # becomes data here: exceptions do not cross processes whole
        return Outcome(error=str(err), exit_code=err.exit_code, warnings=tuple(warnings))


def prepare_clients(options: BuildOptions, clients_file: Path) -> tuple[BuildOptions, list[Client]]:
    """Check everything shared by all clients once, before any worker starts: the one
    source, the fonts and layout, the client list. Client handouts are PDFs."""
    from booklet.clients import read_clients
    from booklet.parse import parse_booklet
    from booklet.personal import choose_exercises

    if len(options.sources) != 1:
        raise UsageError("--clients needs exactly one SOURCE.md: the article to personalise")
    options = replace(options, formats=("pdf",))
    builder = Builder(options, warn=lambda source, message: None)
    booklet = parse_booklet(options.sources[0], builder.project, builder.accent)
    clients = read_clients(clients_file)
    for client in clients:  # so each bad row is reported whole, before anything is built
        client.problems.extend(choose_exercises(booklet, client)[1])
    return options, clients
