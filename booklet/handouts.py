"""Personalised handouts for a list of clients, built in parallel across the cores.

One bad row does not stop the others: each client's outcome comes back on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from booklet.build import Builder, BuildOptions
from booklet.clients import Client
from booklet.clock import today
from booklet.errors import BookletError, SourceError, UsageError
from booklet.export import FORMATS
from booklet.pool import Outcome, run_jobs

CLIENTS_FOLDER = "clients"
# What a client gets on paper or by e-mail: the handout, the one-page programme
# sheet, the folded booklet. Their EPUB would be a book of the whole article.
CLIENT_FORMATS = ("pdf", "sheet", "booklet")


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
        booklet=parse_booklet(
            source, builder.project, builder.accent, labels=builder.renderer.labels
        ),
        clients_file=clients_file,
        eml=eml,
    )


def _build_one(client: Client) -> Outcome:
    """The client's handout (and sheet, booklet), and their e-mail draft with the
    handout and the sheet attached: all or nothing."""
    from booklet.mail import attachment_name, email_draft
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
    try:
        mine = personalise(booklet, client, clients_file, today())
        also = {}
        if _worker["eml"]:
            labels = builder.renderer.labels(booklet.language)
            also[folder / f"{booklet.stem}.eml"] = lambda made: email_draft(
                builder.renderer,
                mine,
                client,
                made["pdf"].read_bytes(),
                attachment_name(mine.title),
                more=[
                    (made["sheet"].read_bytes(), attachment_name(mine.title, labels["sheet_file"]))
                ]
                if "sheet" in made
                else [],
                signature=builder.settings.signature,
                sender=builder.settings.sender,
            )
        written = builder.export(mine, targets, Path(f"{clients_file}:{client.row}"), also)
        return Outcome(tuple(written), warnings=tuple(warnings))
    except BookletError as err:  # becomes data here: exceptions do not cross processes whole
        return Outcome(error=str(err), exit_code=err.exit_code, warnings=tuple(warnings))


def prepare_clients(
    options: BuildOptions, clients_file: Path, eml: bool = False
) -> tuple[BuildOptions, list[Client]]:
    """Check everything shared by all clients once, before any worker starts: the one
    source, the formats, the fonts and layout, the client list, and every row (its
    exercises, its doses, and with `eml` its draft's headers)."""
    from booklet.clients import read_clients
    from booklet.mail import draft_headers
    from booklet.parse import parse_booklet
    from booklet.personal import row_problems

    if len(options.sources) != 1:
        raise UsageError("--clients needs exactly one SOURCE.md: the article to personalise")
    other = [name for name in options.formats if name not in CLIENT_FORMATS]
    if other:
        raise UsageError(
            f"--clients builds {', '.join(CLIENT_FORMATS)}, not '{other[0]}'; "
            "e.g. --format pdf,sheet"
        )
    if eml and "pdf" not in options.formats:
        raise UsageError("--eml attaches the client's handout: add pdf to --format")
    builder = Builder(options, warn=lambda source, message: None)
    booklet = parse_booklet(
        options.sources[0], builder.project, builder.accent, labels=builder.renderer.labels
    )
    clients = read_clients(clients_file)
    for client in clients:  # so each bad row is reported whole, before anything is built
        client.problems.extend(row_problems(booklet, client))
        if eml and not client.problems:
            try:
                draft_headers(
                    builder.renderer,
                    booklet,
                    client,
                    builder.settings.signature,
                    builder.settings.sender,
                )
            except SourceError as err:
                if err.path != clients_file:
                    raise  # email.txt itself is wrong: no draft can be written
                client.problems.extend(err.problems)
    return options, clients
