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
from booklet.errors import BookletError, BuildWarning, SourceError, UsageError
from booklet.export import ExportJob, Written
from booklet.glyphs import warn_missing_glyphs
from booklet.output import atomic_write
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

    builder = Builder(options, warn=lambda source, message: None)
    _worker.update(
        builder=builder,
        booklet=parse_booklet(source, builder.project),
        clients_file=clients_file,
        eml=eml,
    )


def _build_one(client: Client) -> Outcome:
    from booklet.export import pdf
    from booklet.export.service import carry_out
    from booklet.mail import email_draft
    from booklet.personal import personalise

    builder: Builder = _worker["builder"]
    booklet = _worker["booklet"]
    clients_file: Path = _worker["clients_file"]
    eml: bool = _worker["eml"]
    folder = builder.options.out / CLIENTS_FOLDER / client.slug
    where = f"{clients_file}:{client.row}"
    strict = builder.options.strict
    warnings: list[str] = []

    def warn(message: str) -> None:
        if strict:  # before anything of this client's is written
            raise BuildWarning.strict(where, message)
        warnings.append(message)

    try:
        mine = personalise(booklet, client, clients_file, today())
        warn_missing_glyphs(mine, builder.fonts, warn)
        job = ExportJob(
            mine,
            builder.renderer,
            builder.fonts,
            builder.options.paper,
            warn,
            builder.options.pdf_ua,
        )
        plans = {"pdf": pdf.plan(job, folder / f"{booklet.stem}.pdf")}
        handout = carry_out(builder.typesetter, plans, Path(where), strict, warn)["pdf"]
        written = [handout]
        if eml:
            target = folder / f"{booklet.stem}.eml"
            with atomic_write(target) as temporary:
                temporary.write_bytes(email_draft(builder.renderer, mine, client, handout.path))
            written.append(Written(target, target.stat().st_size))
        return Outcome(tuple(written), warnings=tuple(f"{where}: {w}" for w in warnings))
    except BookletError as err:  # becomes data here: exceptions do not cross processes whole
        return Outcome(error=str(err), exit_code=err.exit_code)


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
    booklet = parse_booklet(options.sources[0], builder.project)
    clients = read_clients(clients_file)
    for client in clients:  # so each bad row is reported whole, before anything is built
        client.problems.extend(choose_exercises(booklet, client)[1])
    return options, clients
