"""Compiled tables: the parsed and validated form of packaged data, kept between processes.

Reading the packaged YAML tables (the dated rule files, the screening word tables) means parsing
YAML and validating it with pydantic, which together cost more than the rest of a single
``earcheck screen NAME``. What they produce is plain frozen dataclasses, so a face that knows where
state may be kept (the CLI: ``$EARCHECK_HOME/compiled``) calls ``keep_in`` once, and ``compiled``
then stores each table's result there as a pickle, named by a digest of everything that could change
it: the source text, the code of the modules whose classes it holds, and the Python version. A
different text or a changed class is a different name, so a stale file is never read; a file that
cannot be read (damaged, written by another version) is rebuilt from the source and replaced.

Without ``keep_in`` (tests, library use) nothing is kept and every table is parsed as before. The
folder is the user's own state folder, as trusted as the database beside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

__all__ = ["compiled", "keep_in", "kept_in"]

T = TypeVar("T")

_FOLDER: list[Path] = []  # at most one: where compiled tables are kept in this process


def keep_in(folder: Path | None) -> None:
    """Keep compiled tables in ``folder`` from now on in this process (None: keep none)."""
    _FOLDER.clear()
    if folder is not None:
        _FOLDER.append(folder)


def kept_in() -> Path | None:
    return _FOLDER[0] if _FOLDER else None


def _module_source(name: str) -> bytes:
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None)
    if path is None:
        # A module without a file cannot be told apart from a changed one: never share its tables.
        return os.urandom(16)
    return Path(path).read_bytes()


def compiled(kind: str, sources: Iterable[bytes], modules: Iterable[str], build: Callable[[], T]) -> T:
    """``build()``, or the result a previous process kept for the same ``sources`` and ``modules``.

    ``sources`` are the inputs ``build`` reads (file contents); ``modules`` name the modules whose
    classes the result holds (already imported). ``build`` raising is not kept: the error comes back
    each time, as it would without the cache."""
    folder = kept_in()
    if folder is None:
        return build()
    digest = hashlib.sha256(f"{kind}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
    for source in sources:
        digest.update(len(source).to_bytes(8, "little") + source)
    for module in sorted(set(modules)):
        code = _module_source(module)
        digest.update(module.encode() + b"\0" + len(code).to_bytes(8, "little") + code)
    path = folder / f"{kind}-{digest.hexdigest()[:32]}.pickle"
    try:
        with path.open("rb") as kept:
            found: T = pickle.load(kept)
        return found
    except Exception:  # missing, damaged or unreadable: built again from the source below
        pass
    result = build()
    # A folder that cannot be written only means no cache; nor does a result pickle cannot copy.
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        import tempfile  # only to write: reading a kept table needs none of it

        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return result
