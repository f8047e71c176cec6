#!/usr/bin/env python3
"""Build the booklet: `python make_booklet.py --help` for the options."""

import sys

from booklet.cli import main

if __name__ == "__main__":
    sys.exit(main())
