"""A snapshot folder's ``manifest.json``: which files it holds, and the date each speaks for.

::

    {"description": "...",
     "files": {"csl/consolidated.csv": {"kind": "trade.gov consolidated screening list (CSV)",
                                        "as_of": "2026-07-31"}, ...}}

``kind`` is prose for people (earcheck tells the formats apart by content); ``as_of`` is the date the
file speaks for; ``sha256``, when given, is checked; ``url`` and ``downloaded_at`` say where and when
``earcheck data update`` fetched it.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, ValidationError

from earcheck.errors import SourceFormatError

__all__ = ["MANIFEST", "Manifest", "ManifestFile", "read_manifest", "write_manifest"]

MANIFEST = "manifest.json"


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = None
    as_of: date | None = None
    sha256: str | None = None
    url: str | None = None
    downloaded_at: datetime | None = None


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str | None = None
    files: dict[str, _File]


@dataclass(frozen=True, slots=True)
class ManifestFile:
    name: str  # as the manifest gives it, relative to the folder, with "/"
    path: Path
    kind: str | None
    as_of: date | None
    sha256: str | None


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    files: tuple[ManifestFile, ...]


def read_manifest(folder: Path) -> Manifest:
    """Read ``folder/manifest.json``; errors name the manifest and the field."""
    path = folder / MANIFEST
    if not path.is_file():
        raise SourceFormatError(
            folder,
            f"no {MANIFEST} in this folder: import a snapshot folder (with a manifest.json giving each "
            "file's as-of date, like ../shared/data) or one official file",
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SourceFormatError(path, "not valid UTF-8") from None
    except json.JSONDecodeError as error:
        raise SourceFormatError(path, f"not valid JSON: {error.msg}", line=error.lineno) from None
    try:
        manifest = _Manifest.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise SourceFormatError(path, first["msg"], field=field) from None
    files = []
    for name, entry in manifest.files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise SourceFormatError(path, "expected a path inside the folder", field=f"files.{name}")
        target = folder.joinpath(*relative.parts)
        files.append(ManifestFile(name, target, entry.kind, entry.as_of, entry.sha256))
    return Manifest(path, tuple(files))


def write_manifest(folder: Path, entries: dict[str, dict[str, str]], description: str) -> Path:
    """Write (or extend) ``folder/manifest.json`` with ``entries`` (name -> kind, as_of, ...)."""
    path = folder / MANIFEST
    document: dict[str, object] = {"description": description, "files": {}}
    if path.is_file():
        # an unreadable manifest in earcheck's own download folder is replaced
        with contextlib.suppress(UnicodeDecodeError, json.JSONDecodeError):
            document = json.loads(path.read_text(encoding="utf-8"))
    files = document.setdefault("files", {})
    if not isinstance(files, dict):
        files = document["files"] = {}
    files.update(entries)
    temporary = path.with_suffix(".json.part")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
