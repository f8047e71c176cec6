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


def email_draft(
    renderer: Renderer, booklet: Booklet, client: Client, pdf: bytes, filename: str
) -> bytes:
    """The draft to `client`, with `pdf` attached as `filename`."""
    message, body = draft_headers(renderer, booklet, client)
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    data = message.as_bytes()
    _check_read_back(data, message, client)
    return data


def draft_headers(renderer: Renderer, booklet: Booklet, client: Client) -> tuple[EmailMessage, str]:
    """The draft's headers, each checked, and its text; raises a
    SourceError for the client's row when a value would break a header. Cheap: call it
    before building anything for the client to refuse the row up front."""
    text = renderer.render(TEMPLATE, booklet=booklet, client=client).lstrip()
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise SourceError(TEMPLATE, "must start with a 'Subject: ...' line")
    message = EmailMessage(policy=default)
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
