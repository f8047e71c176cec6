"""E-mail drafts: a standard MIME message, addressed to the client, with their
handout attached, that mail programs open as an unsent draft (X-Unsent: 1).

Every header value comes from text someone else may have written (the title, a
name in the client list), so each is checked after decoding, as a mail program
would read it: an encoded word such as `=?utf-8?q?Hi=0D=0ABcc:_x@evil.example?=`
decodes to a line break and would start a header of its own. The finished draft is
read back, and must hold exactly the headers we set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

from booklet.clients import Client
from booklet.errors import Problem, SourceError
from booklet.model import Booklet
from booklet.render import Renderer

TEMPLATE = "email.txt"
# Control characters and the characters Python's str.splitlines() breaks lines at:
# a header value holds none of them, encoded or not.
HEADER_BREAKER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FILE_NAME_FORBIDDEN = re.compile('[\\\\/:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029]')
MAX_ATTACHMENT_NAME = 120  # characters before ".pdf"


def email_draft(
    renderer: Renderer,
    booklet: Booklet,
    client: Client,
    pdf: bytes,
    filename: str,
    more: Sequence[tuple[bytes, str]] = (),
    signature: str | None = None,
    sender: str | None = None,
) -> bytes:
    """The draft to `client`, with `pdf` attached as `filename` (and each PDF of
    `more`, as its name). `signature` ends the text: the project's e-mail signature
    (booklet.yaml's `email.signature`); without one, email.txt's own signature block.
    `sender` is its From: (booklet.yaml's `email.from`). A non-ASCII file name goes
    as RFC 2231 (`filename*=utf-8''...`), which mail programs read back as written."""
    message, body = draft_headers(renderer, booklet, client, signature, sender)
    message.set_content(body)
    for data, name in [(pdf, filename), *more]:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    data = message.as_bytes()
    _check_read_back(data, message, client)
    return data


def draft_headers(
    renderer: Renderer,
    booklet: Booklet,
    client: Client,
    signature: str | None = None,
    sender: str | None = None,
) -> tuple[EmailMessage, str]:
    """The draft's headers, each checked, and its text; raises a
    SourceError for the client's row when a value would break a header. Cheap: call it
    before building anything for the client to refuse the row up front."""
    text = renderer.render(
        TEMPLATE, booklet=booklet, client=client, signature=signature or ""
    ).lstrip()
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise SourceError(TEMPLATE, "must start with a 'Subject: ...' line")
    message = EmailMessage(policy=default)
    if sender:
        _set(message, "From", client, lambda: sender)
    if client.email:
        username, domain = client.email.rsplit("@", 1)
        # A domain in another script goes as its ASCII (IDNA) form, which every mail
        # program reads; the email package would write it as an encoded word.
        _set(
            message,
            "To",
            client,
            lambda: Address(
                display_name=client.name, username=username, domain=domain.encode("idna").decode()
            ),
        )
    _set(message, "Subject", client, lambda: first.split(":", 1)[1].strip())
    message["X-Unsent"] = "1"
    return message, body.strip() + "\n"


def attachment_name(title: str, what: str = "") -> str:
    """The name a handout is attached under: its title ("Your knee after ACL
    reconstruction.pdf"), and what it is for another PDF ("... - programme.pdf").
    Characters that a file name cannot hold on Windows or macOS become dashes."""
    name = f"{title} - {what}" if what else title
    name = re.sub(r"\s*:\s+", " - ", name)
    name = FILE_NAME_FORBIDDEN.sub("-", name)
    name = " ".join(name.split()).strip(" .") or "handout"
    if len(name) > MAX_ATTACHMENT_NAME:
        name = name[:MAX_ATTACHMENT_NAME].rstrip(" .-")
    return f"{name}.pdf"


def _set(message: EmailMessage, name: str, client: Client, value) -> None:
    try:
        message[name] = value()
    except (ValueError, TypeError, HeaderParseError) as err:
        raise _refused(client, name, str(err)) from None
    header = message[name]
    decoded = [str(header)]
    for address in getattr(header, "addresses", ()):
        decoded += [address.display_name, address.username, address.domain]
    for text in decoded:
        found = HEADER_BREAKER.search(text)
        if found:
            raise _refused(
                client,
                name,
                f"once decoded it holds the control character U+{ord(found.group()):04X} "
                f"({text[:60]!r})",
            )


def _check_read_back(data: bytes, message: EmailMessage, client: Client) -> None:
    """The draft, parsed as a mail program parses it, holds exactly our headers."""
    parsed = BytesParser(policy=default).parsebytes(data)
    if [name.lower() for name in parsed] != [name.lower() for name in message]:
        extra = [name for name in parsed if name not in message]
        raise _refused(client, "draft", f"it reads back with other headers ({', '.join(extra)})")


def _refused(client: Client, header: str, why: str) -> SourceError:
    where = client.list_file or Path(TEMPLATE)
    return SourceError(
        where,
        Problem(
            f"the e-mail {header} header cannot be written: {why}; remove line breaks and "
            "=?...?= encoded words from the name, the title and email.txt's Subject line",
            client.row,
        ),
    )
