"""WeasyPrint, imported about 0.3 s faster on Linux.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by trying several names
per library (one for each platform); cffi hands every name that fails to open to
`ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc and ld as
subprocesses, once per name: 0.3 s of a 0.9 s import, a fifth of a whole build.
Each of WeasyPrint's lists also holds the library's Linux file name
(libpango-1.0.so.0), which the dynamic loader finds directly. So on Linux we import
with find_library answering "not found" at once; if that import fails all the
same (a system where only find_library finds a library), we import again the
usual way. Import WeasyPrint through this module only.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys


@contextlib.contextmanager
def _without_library_search():
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints installation advice to stdout before it gives up on a
        # library; that advice is for the second, ordinary attempt to give.
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = original


def _import_weasyprint():
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        try:
            with _without_library_search():
                import weasyprint

            return weasyprint
        except OSError:
            for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
    import weasyprint

    return weasyprint


weasyprint = _import_weasyprint()

# Imported here, after WeasyPrint itself, so that no module reaches WeasyPrint first.
from weasyprint.urls import (  # noqa: E402
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
)

__all__ = ["FatalURLFetchingError", "URLFetcher", "URLFetcherResponse", "weasyprint"]
