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

    def save_answers(self, bom_id: str, answered_from: str, answers: list[dict[str, str]]) -> None:
        """Keep the answers that turned BOM ``answered_from`` into ``bom_id``: who answered what, and when."""
        folder = self.folder / "answers"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{bom_id}.json"
        record = {"bom": bom_id, "answered_from": answered_from, "answers": answers}
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".answers-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(record, out, indent=1)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def answers(self, bom_id: str) -> list[dict[str, object]]:
        """The chain of answer records that led to ``bom_id``, newest first."""
        chain: list[dict[str, object]] = []
        current = bom_id
        while len(chain) < 1000:
            path = self.folder / "answers" / f"{current}.json"
            if not path.is_file():
                break
            record = json.loads(path.read_text(encoding="utf-8"))
            chain.append(record)
            current = str(record["answered_from"])
        return chain

    def ids(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("bom-*.json"))
