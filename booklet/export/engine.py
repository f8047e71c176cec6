"""WeasyPrint, imported faster. Import WeasyPrint through this module only.

Two costs of `import weasyprint` are start-up work that never changes, and a
third of a cold build between them:

- Finding libraries. WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by
  trying several names per library (one for each platform); cffi hands every name
  that fails to open to `ctypes.util.find_library`, which on Linux runs
  `ldconfig -p`, then gcc and ld as subprocesses, once per name: 0.3 s. Each of
  WeasyPrint's lists also holds the library's Linux file name (libpango-1.0.so.0),
  which the dynamic loader finds directly. So on Linux, find_library answers "not
  found" at once while WeasyPrint imports.
- Reading C declarations. WeasyPrint declares the C functions it calls with
  `cffi.FFI().cdef(...)`, which pycparser parses on every start (0.1 s), and again
  for each C type WeasyPrint names later (`ffi.new("PangoRectangle *")`: another
  0.1 s in a build). cffi's out-of-line ABI mode compiles declarations once into a
  small Python module that needs no parser (cffi's documented way to faster
  imports). We compile WeasyPrint's declarations so, keep the module in the
  booklet cache (keyed by the declarations and the cffi version), and hand it to
  WeasyPrint in place of a fresh `cffi.FFI()`.

- Importing what it rarely uses. WeasyPrint imports fontTools' subsetter and
  variable-font instancer at start-up (0.15 s, a third of its import), and calls
  them only for a font HarfBuzz cannot subset or a variable font. They are
  imported when first used instead: the subsetter through the standard library's
  LazyLoader, the instancer's one function through a stand-in that imports it.

If the quick import fails for any reason (a system where only find_library finds
a library, HarfBuzz's subsetter included; declarations that are not what we
compiled), we import again the ordinary way. Without a cache (BOOKLET_CACHE=off) the
declarations are parsed as usual. The compiled module is Python code run from the
cache folder, which is the user's own (~/.cache/booklet by default), as Python
runs its own compiled files from __pycache__.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes.util
import importlib.util
import io
import sys
import tempfile
import types
from pathlib import Path

COMPILED_MODULE = "_booklet_weasyprint_ffi"


class _NotCompiled(Exception):
    """WeasyPrint declared something other than what was compiled."""


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


@contextlib.contextmanager
def _with_compiled_declarations():
    """While WeasyPrint imports, `cffi.FFI()` gives the compiled declarations."""
    import cffi

    compiled = _compiled_ffi()
    if compiled is None:
        yield
        return
    original = cffi.FFI
    cffi.FFI = lambda: compiled
    try:
        yield
    finally:
        cffi.FFI = original


@contextlib.contextmanager
def _fonttools_on_first_use():
    """While WeasyPrint imports, its rarely used fontTools modules stay unloaded."""
    import fontTools

    real = {name: sys.modules.get(name) for name in (SUBSETTER, INSTANCER)}
    if real[SUBSETTER] is None:
        spec = importlib.util.find_spec(SUBSETTER)
        spec.loader = importlib.util.LazyLoader(spec.loader)
        subsetter = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(subsetter)  # runs the module on first attribute access
        sys.modules[SUBSETTER] = subsetter
        fontTools.subset = subsetter
    if real[INSTANCER] is None:
        stand_in = types.ModuleType(INSTANCER)
        stand_in.instantiateVariableFont = _instantiate_variable_font
        sys.modules[INSTANCER] = stand_in
    try:
        yield
    finally:
        # Later imports get the real instancer (the lazy subsetter is real already).
        if sys.modules.get(INSTANCER) is not real[INSTANCER]:
            del sys.modules[INSTANCER]


SUBSETTER = "fontTools.subset"
INSTANCER = "fontTools.varLib.instancer"


def _instantiate_variable_font(*args, **kwargs):
    """fontTools' instantiateVariableFont, imported on first call."""
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*args, **kwargs)


def _compiled_ffi():
    """An FFI with WeasyPrint's declarations compiled, from the cache (made and
    stored there the first time); None without a cache."""
    import _cffi_backend
    import cffi

    from booklet import cache

    spec = importlib.util.find_spec("weasyprint")  # finds it without importing it
    if cache.folder() is None or spec is None or spec.origin is None:
        return None
    declarations = _declarations(Path(spec.origin).parent / "text" / "ffi.py")
    name = cache.key("cffi", cffi.__version__, *declarations)
    code = cache.load(name)
    if code is None:
        builder = cffi.FFI()
        for declaration in declarations:
            builder.cdef(declaration)
        builder.set_source(COMPILED_MODULE, None)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{COMPILED_MODULE}.py"
            builder.emit_python_code(str(path))
            code = path.read_bytes()
        cache.store(name, code)

    class CompiledFFI(_cffi_backend.FFI):
        def cdef(self, declaration: str, *args, **kwargs) -> None:
            if args or kwargs or declaration not in declarations:
                raise _NotCompiled("WeasyPrint's C declarations are not the ones compiled")

    # The module makes its FFI with `_cffi_backend.FFI(...)`: make it ours instead.
    if code.count(b"\nimport _cffi_backend\n") != 1:
        raise _NotCompiled("cffi wrote a module of an unknown shape")
    code = code.replace(b"\nimport _cffi_backend\n", b"\n")
    namespace = {"_cffi_backend": type("Backend", (), {"FFI": CompiledFFI})}
    exec(compile(code, COMPILED_MODULE, "exec"), namespace)
    return namespace["ffi"]


def _declarations(path: Path) -> list[str]:
    """The text of every `ffi.cdef("...")` in WeasyPrint's ffi module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "cdef"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def _forget_weasyprint() -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
        del sys.modules[name]


def _import_weasyprint():
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        try:
            with (
                _without_library_search(),
                _with_compiled_declarations(),
                _fonttools_on_first_use(),
            ):
                import weasyprint
                from weasyprint.text import ffi

            # HarfBuzz's subsetter is optional to WeasyPrint, which makes do without
            # it (worse fonts, a warning): if it did not open, let find_library look.
            # (harfbuzz-vector, for colour fonts, is missing from most systems yet.)
            if ffi.harfbuzz_subset is not None:
                return weasyprint
            _forget_weasyprint()
        except Exception:  # any failure of the quick way: the ordinary way
            _forget_weasyprint()
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
