"""`python -m booklet`: the same command as make-booklet."""

import sys

from booklet.cli import main

sys.exit(main())
