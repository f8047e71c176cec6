"""E-mail drafts: a standard MIME message, addressed to the client, with their
handout attached, that mail programs open as an unsent draft (X-Unsent: 1)."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default

from booklet.clients import Client
from booklet.errors import SourceError
from booklet.model import Booklet
from booklet.render import Renderer

TEMPLATE = "email.txt"


def email_draft(
    renderer: Renderer, booklet: Booklet, client: Client, pdf: bytes, filename: str
) -> bytes:
    """The draft to `client`, with `pdf` attached as `filename`."""
    text = renderer.render(TEMPLATE, booklet=booklet, client=client).lstrip()
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise SourceError(TEMPLATE, "must start with a 'Subject: ...' line")
    message = EmailMessage(policy=default)
    if client.email:
        username, domain = client.email.rsplit("@", 1)
        # A domain in another script goes as its ASCII (IDNA) form, which every mail
        # program reads; the email package would write it as an encoded word.
        message["To"] = Address(
            display_name=client.name, username=username, domain=domain.encode("idna").decode()
        )
    message["Subject"] = first.split(":", 1)[1].strip()
    message["X-Unsent"] = "1"
    message.set_content(body.strip() + "\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message.as_bytes()
