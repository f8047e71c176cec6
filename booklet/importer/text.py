"""Plain text copied or scraped from a page into the intermediate form.

Text has no markup, so its structure comes from rules, each tested:
- A line that is all page clutter (clutter.py) is dropped; so is a bracketed
  placeholder inside a line ("[Placeholder for inline image below]").
- A text copied from a browser has one paragraph a line; a text wrapped at a fixed
  width (most lines 55 to 100 characters, none much longer) has paragraphs separated
  by blank lines, and its lines are joined.
- A line that opens with a bullet (a bullet, a dash, an asterisk) is a list item; "1." or "1)" a
  numbered one.
- A short line (at most 12 words) that does not end like a sentence is a heading.
  The first heading of two words or more is the title; short lines before it are the
  page's navigation and are dropped.
- A sentence between the title and the text, directly followed by icon names
  (the "Down Arrow" under a page's lead picture), is that picture's description:
  the picture itself is not in the text, and the report says so.
- After a comments heading ("3 comments", "Leave a reply") the rest is other
  people's words and is dropped up to a "Written by" block; after a related-links
  heading ("Related articles") the short lines that follow are links and go too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from booklet.importer.clutter import clutter_reason, without_placeholders
from booklet.importer.document import Article, Block, squeeze
from booklet.importer.sniff import decode_text, read_bytes
from booklet.importer.wording import BYLINE_HEADING, byline_name

BULLETS = "\u2022\u00b7▪◦‣●○■□➢►▸\u2013\u2014*+-"
BULLET = re.compile(rf"^(?P<indent>[ \t]*)[{BULLETS}][ \t]+(?P<text>\S.*)$")
NUMBERED = re.compile(r"^(?P<indent>[ \t]*)\d{1,3}[.)][ \t]+(?P<text>\S.*)$")
SENTENCE_END = re.compile(r"[.,;!?…][\"'\u201d\u2019)\]]*$")
WIDE_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


@dataclass
class _Line:
    number: int
    text: str
    kind: str = "text"  # "text", "item", "blank", "clutter"
    ordered: bool = False
    indent: int = 0
    reason: str = ""


@dataclass
class _Raw:
    kind: str  # "text" or "item"
    text: str
    number: int
    ordered: bool = False
    indent: int = 0
    followed_by_icons: bool = False


def read_text(path: Path) -> Article:
    text = decode_text(path, read_bytes(path), "a text file")
    article = Article(path=path, kind="text", blocks=[], image_folder=path.parent)
    lines = _classify(text, article.dropped)
    raws = _paragraphs(lines, _is_wrapped(lines))
    raws = _drop_comments_and_links(raws, lines, article.dropped)
    article.title, raws = _title(raws, article.dropped)
    article.blocks = _blocks(raws, article.title is not None)
    return article


def _classify(text: str, dropped: list[str]) -> list[_Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = WIDE_SPACES.sub(" ", raw).rstrip()
        raw, placeholders = without_placeholders(raw)
        dropped.extend(f"line {number}: {p} (a placeholder)" for p in placeholders)
        stripped = raw.strip()
        if not stripped:
            kind = "clutter" if placeholders else "blank"
            lines.append(_Line(number, "", kind, reason="a placeholder" if placeholders else ""))
            continue
        reason = clutter_reason(stripped)
        if reason:
            dropped.append(f"line {number}: {stripped} ({reason})")
            lines.append(_Line(number, stripped, "clutter", reason=reason))
            continue
        item = BULLET.match(raw) or NUMBERED.match(raw)
        if item:
            indent = len(item.group("indent").expandtabs(4))
            ordered = NUMBERED.match(raw) is not None
            lines.append(_Line(number, squeeze(item.group("text")), "item", ordered, indent))
        else:
            lines.append(_Line(number, squeeze(stripped)))
    return lines


def _is_wrapped(lines: list[_Line]) -> bool:
    """Wrapped at a fixed width: the lines that a paragraph goes on from mostly fill
    that width (55 to 100 characters), and hardly any line is longer."""
    lengths = [len(line.text) for line in lines if line.kind in ("text", "item")]
    if not lengths or sum(1 for n in lengths if n > 100) > len(lengths) * 0.05:
        return False
    going_on = [
        len(line.text)
        for line, following in pairwise(lines)
        if line.kind in ("text", "item") and following.kind == "text"
    ]
    filled = sum(1 for n in going_on if 55 <= n <= 100)
    return len(going_on) >= 2 and filled >= len(going_on) * 0.6


def _paragraphs(lines: list[_Line], wrapped: bool) -> list[_Raw]:
    raws: list[_Raw] = []
    pieces: list[list[str]] = []  # each block's lines, joined once at the end
    open_paragraph = False  # whether the next text line may continue the last block
    for line in lines:
        if line.kind in ("blank", "clutter"):
            if line.reason == "icon names" and raws:
                raws[-1].followed_by_icons = True
            open_paragraph = (
                open_paragraph and line.kind == "clutter" and line.reason == "a placeholder"
            )
            continue
        if line.kind == "item":
            raws.append(_Raw("item", line.text, line.number, line.ordered, line.indent))
            pieces.append([line.text])
            open_paragraph = True
            continue
        last = pieces[-1][-1] if pieces else ""
        continues = (
            open_paragraph
            and bool(raws)
            and (wrapped or (not SENTENCE_END.search(last) and line.text[:1].islower()))
        )
        if continues:
            pieces[-1].append(line.text)
        else:
            raws.append(_Raw("text", line.text, line.number))
            pieces.append([line.text])
        open_paragraph = True
    for raw, lines_of_it in zip(raws, pieces, strict=True):
        raw.text = " ".join(lines_of_it)
    return raws


def _drop_comments_and_links(
    raws: list[_Raw], lines: list[_Line], dropped: list[str]
) -> list[_Raw]:
    """Comments and related-links lists: what follows their heading (see above).
    One pass over both, in line order: the zone a block is in is the last heading
    before it, until a block ends that zone."""
    starts = [
        (line.number, line.reason)
        for line in lines
        if line.kind == "clutter"
        and line.reason in ("a comments heading", "a comment count", "a related-links heading")
    ]
    kept: list[_Raw] = []
    zone: str | None = None
    next_start = 0
    for raw in raws:
        while next_start < len(starts) and starts[next_start][0] < raw.number:
            zone = starts[next_start][1]
            next_start += 1
        if zone is None or _is_byline_start(raw.text):
            zone = None
            kept.append(raw)
        elif zone != "a related-links heading":
            dropped.append(f"line {raw.number}: {raw.text} (a comment)")
        elif raw.kind == "item" or (raw.kind == "text" and _is_short(raw.text)):
            dropped.append(f"line {raw.number}: {raw.text} (a related link)")
        else:
            zone = None
            kept.append(raw)
    return kept


def _is_byline_start(text: str) -> bool:
    return bool(BYLINE_HEADING.match(text) or byline_name(text))


def _is_short(text: str) -> bool:
    words = text.split()
    return len(words) <= 12 and len(text) <= 100 and not SENTENCE_END.search(text)


def _heading_like(raw: _Raw) -> bool:
    text = raw.text
    if raw.kind != "text" or (not _is_short(text) and not text.endswith(("?", "!"))):
        return False
    return len(text.split()) <= 12 and (text[0].isupper() or text[0].isdigit())


def _title(raws: list[_Raw], dropped: list[str]) -> tuple[str | None, list[_Raw]]:
    for index, raw in enumerate(raws):
        if not _heading_like(raw):
            if raw.kind == "text" and not _is_short(raw.text):
                return None, raws  # the text starts before any title
            continue
        if len(raw.text.split()) < 2 or _is_byline_start(raw.text):
            continue
        for before in raws[:index]:
            dropped.append(f"line {before.number}: {before.text} (before the title: navigation)")
        return raw.text, raws[index + 1 :]
    return None, raws


def _blocks(raws: list[_Raw], has_title: bool) -> list[Block]:
    blocks: list[Block] = []
    list_id, base_indent, in_list = 0, 0, False
    for index, raw in enumerate(raws):
        if raw.kind == "item":
            if not in_list:
                list_id, base_indent, in_list = list_id + 1, raw.indent, True
            depth = 1 if raw.indent >= base_indent + 2 else 0
            blocks.append(
                Block.from_plain(
                    "item", raw.text, level=depth, ordered=raw.ordered, list_id=list_id
                )
            )
            continue
        in_list = False
        if index == 0 and has_title and raw.followed_by_icons and raw.text.endswith("."):
            blocks.append(Block("image", src="", alt=raw.text))  # described, not there
        elif _heading_like(raw) and index + 1 < len(raws):
            blocks.append(Block.from_plain("heading", raw.text, level=2))
        else:
            blocks.append(Block.from_plain("paragraph", raw.text))
    return blocks
