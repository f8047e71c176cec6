"""The `make-booklet import` command: its options, and the report it prints."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from booklet.errors import UsageError
from booklet.importer import KINDS, import_article
from booklet.importer.languages import language_tag


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        f"Turn an article you already have ({KINDS}) into a draft source in booklet's "
        "format, with its images copied into the project's images/ folder. Nothing is "
        "fetched from the network and nothing in the file is run."
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the article to import")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.md",
        help="where to write the draft (default: source/NAME.md, NAME from the title); "
        "images go to the images/ folder beside source/, or beside OUT.md when its "
        "folder is not named source",
    )
    parser.add_argument(
        "--language",
        metavar="TAG",
        help="the article's language, e.g. en-GB (default: what the file says, else en)",
    )
    parser.add_argument("--force", action="store_true", help="replace OUT.md if it exists")
    parser.add_argument(
        "--show-dropped",
        action="store_true",
        help="list every line dropped as clutter, not only how many",
    )


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    language = None
    if args.language is not None:
        language = language_tag(args.language)
        if language is None:
            raise UsageError(
                f"--language '{args.language}' is not a language tag; write e.g. en, en-GB, fr"
            )
    imported = import_article(args.file, args.output, language, args.force, args.show_dropped)
    for line in imported.report:
        print(line, file=stdout)
    print(f"next: make-booklet {imported.out}", file=stdout)
    return 0
