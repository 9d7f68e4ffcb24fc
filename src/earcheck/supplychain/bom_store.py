"""Imported bills of materials, kept under ``$EARCHECK_HOME/boms`` by content address.

A BOM's ID is a hash of its lines and exchange rates, so a case that names ``bom: ID`` always means the
same parts; importing the same file twice gives the same ID. Each BOM is written to a temporary file and
renamed into place, so a crash never leaves half a BOM behind.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from earcheck.errors import NotFound
from earcheck.supplychain.bom import Bom

__all__ = ["BomStore"]

_ID = re.compile(r"^bom-[0-9a-f]{16}$")


class BomStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def is_id(text: str) -> bool:
        return bool(_ID.match(text))

    def save(self, bom: Bom) -> str:
        bom_id = bom.id
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{bom_id}.json"
        if target.exists():
            return bom_id
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".import-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(bom.to_json(), out)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return bom_id

    def load(self, bom_id: str) -> Bom:
        if not self.is_id(bom_id):
            raise NotFound(f"not a BOM ID: {bom_id!r} (IDs look like bom-0123456789abcdef)")
        path = self.folder / f"{bom_id}.json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotFound(f"no imported BOM {bom_id} (earcheck bom import FILE)") from None
        return Bom.from_json(document)

    def ids(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("bom-*.json"))
