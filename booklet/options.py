"""The options of a build, each with its type and default, checked as a whole.

The CLI takes its defaults from DEFAULT_OPTIONS, so the command line and the Python
API have one set of defaults (as WeasyPrint's DEFAULT_OPTIONS). A leaf: it knows no
exporter; which format names exist is the exporters' business (export/__init__.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import UsageError
from booklet.paper import PAPERS

if TYPE_CHECKING:
    from booklet.settings import Settings

DEFAULT_LAYOUT = "default"  # the bundled layout


@dataclass(frozen=True)
class BuildOptions:
    """Every option of a build, with its default."""

    sources: list[Path] = field(default_factory=list)  # none: every source/*.md of the project
    out: Path = Path("build")
    formats: tuple[str, ...] = ("pdf", "epub")
    # The formats came from `all` with no paper given: each source leaves out those not
    # made on its own paper (a folded booklet of A5 pages), saying so.
    all_formats: bool = False
    # None: each source's front matter says, else booklet.yaml, else its language region.
    paper: str | None = None
    layout: str = DEFAULT_LAYOUT
    project: Path = Path(".")
    strict: bool = False
    pdf_ua: bool = False
    settings: Settings | None = None  # the project's booklet.yaml; None: read it when building

    def __post_init__(self) -> None:
        if not self.formats:
            raise UsageError("no format asked for; name at least one, e.g. --format pdf")
        if self.paper is not None and self.paper not in PAPERS:
            raise UsageError(f"unknown paper '{self.paper}'; choose from: {', '.join(PAPERS)}")


DEFAULT_OPTIONS = BuildOptions()
