"""The file layout of a prebuilt screening index: read-only tables used in place, memory-mapped.

A pack is one file of sections. Opening it maps the file and reads a small header; nothing else is
read until it is used, so a process that screens one name touches a few pages of it, and forked batch
workers share the pages. The sections are:

- string tables (``StringTable``): a key -> bytes hash table (open addressing over CRC-32, linear
  probing, keys compared in full), for the word lookups;
- numeric arrays (``array_view``): fixed-size numbers, read through a memoryview without copying;
- record lists (``RecordList``): variable records (``marshal``) behind an offset array, each decoded
  when first asked for.

``PackWriter`` writes one atomically (a reader never sees half a file).
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import struct
import tempfile
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["MAGIC", "Pack", "PackWriter", "RecordList", "StringTable", "array_view"]

MAGIC = b"ECSPACK1"
_HEAD = struct.Struct("<8sQ")  # magic, length of the header that follows
_SLOT = struct.Struct("<I")
_KEY = struct.Struct("<H")
_VALUE = struct.Struct("<I")


def _align(out: bytearray) -> None:
    out.extend(b"\0" * (-len(out) % 8))


def encode_table(items: Mapping[str, bytes]) -> bytes:
    """A hash table of ``items``: a slot count, the slots (record offsets, 0 = empty), the records."""
    slots = max(8, 1 << (len(items) * 2).bit_length())  # load factor at most 1/2
    offsets = [0] * slots
    records = bytearray(b"\0")  # offset 0 means "empty", so records start at 1
    for key, value in items.items():
        raw = key.encode("utf-8")
        slot = zlib.crc32(raw) & (slots - 1)
        while offsets[slot]:
            slot = (slot + 1) & (slots - 1)
        offsets[slot] = len(records)
        records += _KEY.pack(len(raw)) + raw + _VALUE.pack(len(value)) + value
    head = struct.pack("<QQ", slots, 16 + 4 * slots)
    return head + array("I", offsets).tobytes() + bytes(records)


class StringTable:
    """A read-only ``str -> bytes`` table inside a buffer (see ``encode_table``)."""

    __slots__ = ("_buffer", "_mask", "_records", "_slots", "_start")

    def __init__(self, buffer: memoryview, start: int) -> None:
        slots, records = struct.unpack_from("<QQ", buffer, start)
        self._buffer = buffer
        self._start = start
        self._mask = slots - 1
        self._slots = buffer[start + 16 : start + 16 + 4 * slots].cast("I")
        self._records = start + records

    def get_bytes(self, key: str) -> memoryview | None:
        raw = key.encode("utf-8")
        slot = zlib.crc32(raw) & self._mask
        buffer, slots, records = self._buffer, self._slots, self._records
        while True:
            offset = slots[slot]
            if not offset:
                return None
            at = records + offset
            (length,) = _KEY.unpack_from(buffer, at)
            if length == len(raw) and buffer[at + 2 : at + 2 + length] == raw:
                (size,) = _VALUE.unpack_from(buffer, at + 2 + length)
                begin = at + 6 + length
                return buffer[begin : begin + size]
            slot = (slot + 1) & self._mask

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get_bytes(key) is not None

    def items(self) -> Iterator[tuple[str, memoryview]]:
        buffer = self._buffer
        for offset in self._slots:
            if offset:
                at = self._records + offset
                (length,) = _KEY.unpack_from(buffer, at)
                key = bytes(buffer[at + 2 : at + 2 + length]).decode("utf-8")
                (size,) = _VALUE.unpack_from(buffer, at + 2 + length)
                begin = at + 6 + length
                yield key, buffer[begin : begin + size]


def array_view(buffer: memoryview, start: int, code: str, count: int) -> memoryview:
    """``count`` numbers of ``struct`` type ``code`` at ``start``, read in place."""
    size = struct.calcsize(code)
    view: memoryview = buffer[start : start + size * count].cast(code)  # type: ignore[call-overload]
    return view


class RecordList(Sequence[Any]):
    """Records decoded with ``marshal`` when first asked for (and kept)."""

    __slots__ = ("_buffer", "_cache", "_count", "_offsets")

    def __init__(self, buffer: memoryview, start: int) -> None:
        (count,) = struct.unpack_from("<Q", buffer, start)
        self._buffer = buffer
        self._count = int(count)
        self._offsets = array_view(buffer, start + 8, "Q", count + 1)
        self._cache: dict[int, Any] = {}

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, position: int) -> Any:  # type: ignore[override]
        found = self._cache.get(position)
        if found is None:
            if not -self._count <= position < self._count:
                raise IndexError(position)
            position %= self._count
            begin, end = int(self._offsets[position]), int(self._offsets[position + 1])
            found = self._cache[position] = marshal.loads(self._buffer[begin:end])
        return found


def encode_records(records: Sequence[Any], base: int) -> bytes:
    """Records for ``RecordList``; ``base`` is where this section starts in the file."""
    blobs = [marshal.dumps(r) for r in records]
    head = 8 + 8 * (len(blobs) + 1)
    offsets = [base + head]
    for blob in blobs:
        offsets.append(offsets[-1] + len(blob))
    return struct.pack("<Q", len(blobs)) + array("Q", offsets).tobytes() + b"".join(blobs)


class PackWriter:
    """Collects sections, then writes the pack atomically."""

    def __init__(self, meta: Mapping[str, Any]) -> None:
        self.meta = dict(meta)
        self.sections: dict[str, tuple[str, Any]] = {}

    def table(self, name: str, items: Mapping[str, bytes]) -> None:
        self.sections[name] = ("table", items)

    def numbers(self, name: str, code: str, values: Sequence[float] | Sequence[int]) -> None:
        self.sections[name] = ("array", (code, values))

    def records(self, name: str, records: Sequence[Any]) -> None:
        self.sections[name] = ("records", records)

    def write(self, path: Path) -> None:
        # Offsets are absolute; the header's size depends on them only through their digits, so
        # it is written with room to spare and the sections placed after it.
        body = bytearray()
        places: dict[str, tuple[str, int, int]] = {}
        reserve = 4096 + 64 * len(self.sections) + len(marshal.dumps(self.meta))
        start = _HEAD.size + reserve
        for name, (kind, value) in self.sections.items():
            _align(body)
            at = start + len(body)
            if kind == "table":
                body += encode_table(value)
                places[name] = (kind, at, len(value))
            elif kind == "array":
                code, values = value
                body += array(code, values).tobytes()
                places[name] = (kind, at, len(values))
            else:
                body += encode_records(value, at)
                places[name] = (kind, at, len(value))
        header = marshal.dumps({"meta": self.meta, "sections": places})
        if len(header) > reserve:
            raise ValueError("pack header larger than reserved")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_HEAD.pack(MAGIC, len(header)) + header + b"\0" * (reserve - len(header)))
                out.write(body)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


class Pack:
    """An opened pack: its metadata and its sections, read in place from the mapped file."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as source:
            self._map = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
        self.buffer = memoryview(self._map)
        magic, length = _HEAD.unpack_from(self.buffer, 0)
        if magic != MAGIC:
            raise ValueError(f"{path} is not a screening pack")
        header = marshal.loads(self.buffer[_HEAD.size : _HEAD.size + length])
        self.meta: dict[str, Any] = header["meta"]
        self._sections: dict[str, tuple[str, int, int]] = header["sections"]

    @classmethod
    def open(cls, path: Path) -> Pack | None:
        """The pack at ``path``, or None when it is missing or not a pack."""
        try:
            return cls(path)
        except (OSError, ValueError, EOFError, TypeError, KeyError, struct.error):
            return None

    def table(self, name: str) -> StringTable:
        kind, at, _ = self._sections[name]
        assert kind == "table"
        return StringTable(self.buffer, at)

    def numbers(self, name: str, code: str) -> memoryview:
        kind, at, count = self._sections[name]
        assert kind == "array"
        return array_view(self.buffer, at, code, count)

    def records(self, name: str) -> RecordList:
        kind, at, _ = self._sections[name]
        assert kind == "records"
        return RecordList(self.buffer, at)
