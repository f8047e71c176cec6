#!/usr/bin/env python3
"""Build the booklet: `python make_booklet.py --help` for the options."""

from booklet.cli import run

if __name__ == "__main__":
    run()
