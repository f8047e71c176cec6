"""What the import decided, as the lines the command prints."""

from __future__ import annotations

import re
from pathlib import Path

from booklet.importer.document import Article
from booklet.importer.figures import Figures
from booklet.importer.recognise import Draft

EXCERPT = 70


def report_lines(
    article: Article, draft: Draft, figures: Figures, out: Path, show_dropped: bool
) -> list[str]:
    parts = draft.parts
    lines = [f"read {article.path} ({article.kind})"]
    lines.append(f"title: {draft.title}" if draft.title else "title: none found: add one")
    lines.append(f"language: {draft.language} ({draft.language_from})")
    if draft.author:
        bio = ", with a bio" if draft.bio else ", no bio"
        lines.append(f"author: {draft.author} (from {draft.author_from}){bio}")
    else:
        lines.append("author: none found: add one")
    sections = [s.title for s in parts.sections if s.title]
    lines.append(f"sections: {'; '.join(sections)}" if sections else "sections: none")
    exercises = parts.exercises
    if exercises:
        lines.append(f"exercises ({len(exercises)}, {parts.how}):")
        lines += [f"  {n}. {e.name}" for n, e in enumerate(exercises, start=1)]
    else:
        lines.append("exercises: none found: start each exercise with a ### heading")
    lines.append(
        f"closing: {_count(len(parts.closing), 'block')}" if parts.closing else "closing: none"
    )
    if draft.disclaimer:
        lines.append(f'disclaimer: found {draft.disclaimer_from}: "{_excerpt(draft.disclaimer)}"')
    else:
        lines.append("disclaimer: none found: add one (the draft says where)")
    copied = [c.name for c in figures.copies if not c.exists]
    kept = [c.name for c in figures.copies if c.exists]
    folder = figures.place.folder
    if copied:
        lines.append(f"images copied to {folder}: {', '.join(copied)}")
    if kept:
        lines.append(f"images already in {folder}: {', '.join(kept)}")
    if not figures.copies:
        lines.append("images copied: none")
    lines += [
        f"image copied but not placed (no alt text; add ![what it shows]({r})): {r}"
        for r in figures.unplaced
    ]
    lines += [f"image left out: {m}" for m in figures.missing]
    if article.never_run:
        lines.append(f"never run: {', '.join(article.never_run)} (left out)")
    lines += [f"note: {note}" for note in draft.notes]
    dropped = draft.dropped
    if show_dropped:
        lines.append(f"dropped {_count(len(dropped), 'line')} as clutter:")
        lines += [f"  {line}" for line in dropped]
    else:
        hint = " (--show-dropped lists them)" if dropped else ""
        lines.append(f"dropped {_count(len(dropped), 'line')} as clutter{hint}")
    lines.append(f"wrote {out}")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _excerpt(markdown: str) -> str:
    flat = " ".join(re.sub(r"[*_`\\]", "", markdown).split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"
