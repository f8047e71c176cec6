"""Links on paper: a printed page cannot be clicked, so a link whose text is not
its address is followed by the address ("our videos (northsidephysio.example/videos)");
a mailto: or tel: link by the address or number. The EPUB keeps its plain links.

Applied to what the layout renders for print (render.py), so every print output
(handout, print-shop PDF, folded booklet, programme sheet) shows the addresses.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

# The links Markdown and the layouts write: <a href="...">text</a>, never nested.
LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
PRINTED_SCHEMES = {"http", "https", "mailto", "tel"}


def short_address(url: str) -> str:
    """An address as a reader types it: no scheme, no `www.`, no trailing slash;
    a mail address or a telephone number alone."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("mailto", "tel"):
        return unquote(url.split(":", 1)[1].split("?", 1)[0])
    text = url.split("://", 1)[1] if "://" in url else url
    if text.lower().startswith("www."):
        text = text[4:]
    if text.endswith("/") and text.count("/") == 1:
        text = text[:-1]
    return text


def spell_out_links(markup: str) -> str:
    """`markup` with the address after each web, mail or telephone link whose text
    does not already show it."""

    def spelled(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        if urlsplit(href).scheme.lower() not in PRINTED_SCHEMES:
            return match.group(0)  # an anchor inside the document
        address = short_address(href)
        text = html.unescape(TAG.sub("", match.group(2)))
        if not text.strip():
            return match.group(0)  # a picture that links (a QR code): its address is beside it
        if _shown(address, text) or _shown(href, text) or _same_number(href, text):
            return match.group(0)
        return f'{match.group(0)}<span class="link-address"> ({html.escape(address)})</span>'

    return LINK.sub(spelled, markup)


def _same_number(href: str, text: str) -> bool:
    """A telephone link whose text is its number written another way: "0161 496 0000"
    for tel:+441614960000."""
    if not href.lower().startswith("tel:"):
        return False
    number = re.sub(r"\D", "", href).lstrip("0")
    written = re.sub(r"\D", "", text).lstrip("0")
    return len(written) >= 6 and (number.endswith(written) or written.endswith(number))


def _shown(address: str, text: str) -> bool:
    def squeezed(value: str) -> str:
        return "".join(value.split()).casefold().rstrip("/")

    return squeezed(address) in squeezed(text)
