"""`python -m booklet`: the same command as make-booklet."""

from booklet.cli import run

run()
