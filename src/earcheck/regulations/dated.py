"""Law as dated, cited data: the shape every regulation fact shares, and the one as-of lookup.

Each provision family is a YAML file in ``regulations/data``. A file holds *versions*; each
version says when it took effect, when it stopped (the day the next text took over, exclusive),
the paragraph that held it *as numbered then*, the Federal Register documents behind it, and how
far we verified it:

========  ==================================================================================
``VS``    copied from a stored copy of the authoritative text (eCFR, Federal Register, bis.gov)
``VD``    read from the structured extraction of the eCFR XML in ``../shared/data/ear``
``VX``    an authoritative statement as quoted by a law firm or the trade press
``R``     written from memory of the rule: structure reliable, wording and lettering unchecked
========  ==================================================================================

The lookup is deliberately tiny: the version with ``effective <= as_of < superseded``. A date
before ``covers_from`` (where the data stops speaking) raises ``OutOfCoverage``; a date inside the
coverage with no version in force means the provision was, as far as the data says, not in force.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from earcheck.compiled import compiled
from earcheck.errors import OutOfCoverage, SourceFormatError

if TYPE_CHECKING:  # PyYAML and pydantic are imported when a file is parsed, not to use its facts
    import yaml
    from pydantic import ConfigDict

__all__ = [
    "DatedFact",
    "Source",
    "Verification",
    "change_dates",
    "check_versions",
    "in_force",
    "load_packaged",
    "load_yaml",
    "parse_file",
    "strict",
]

STRICT: ConfigDict = {"extra": "forbid", "frozen": True}

C = TypeVar("C", bound=type)


def strict(cls: C) -> C:
    """The class's pydantic configuration (extra fields refused, frozen) -- what pydantic's
    ``with_config(STRICT)`` sets, without importing pydantic for classes that are only read from a
    compiled table (``earcheck.compiled``)."""
    cls.__pydantic_config__ = STRICT  # type: ignore[attr-defined]
    return cls


class Verification(StrEnum):
    VS = "VS"
    VD = "VD"
    VX = "VX"
    R = "R"


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a fact comes from: a Federal Register document, an eCFR edition, a BIS page."""

    cite: str  # "85 FR 29849", "eCFR 2026-07-23", "bis.gov FAQ"
    document: str | None = None  # Federal Register document number, e.g. 2020-10856
    published: date | None = None
    url: str | None = None


@strict
@dataclass(frozen=True, slots=True, kw_only=True)
class DatedFact:
    """Fields every dated version carries. Provision families subclass this with their own facts."""

    effective: date
    superseded: date | None = None
    citation: str
    sources: tuple[Source, ...]
    verification: Verification
    verified_how: str


class _Dated(Protocol):
    @property
    def effective(self) -> date: ...
    @property
    def superseded(self) -> date | None: ...


D = TypeVar("D", bound=_Dated)
T = TypeVar("T")


def in_force(versions: Sequence[D], as_of: date, covers_from: date | None = None, what: str = "") -> D | None:
    """The version in force on ``as_of``; ``None`` if none was; ``OutOfCoverage`` before ``covers_from``."""
    if covers_from is not None and as_of < covers_from:
        raise OutOfCoverage(
            f"{what or 'the rules'}: earcheck's dated data starts on {covers_from.isoformat()}, "
            f"so it cannot say what applied on {as_of.isoformat()}"
        )
    for version in reversed(versions):
        if version.effective <= as_of:
            return version if version.superseded is None or as_of < version.superseded else None
    return None


def change_dates(versions: Iterable[_Dated]) -> set[date]:
    """Every date on which one of ``versions`` began or ended: the breakpoints of a timeline."""
    dates: set[date] = set()
    for version in versions:
        dates.add(version.effective)
        if version.superseded is not None:
            dates.add(version.superseded)
    return dates


def check_versions(versions: Sequence[_Dated], where: str) -> None:
    """Versions must be in date order, each ending after it starts and before the next begins."""
    for version in versions:
        if version.superseded is not None and version.superseded <= version.effective:
            raise ValueError(f"{where}: version of {version.effective} ends on or before it starts")
    for earlier, later in itertools.pairwise(versions):
        if later.effective <= earlier.effective:
            raise ValueError(f"{where}: versions out of order ({earlier.effective} then {later.effective})")
        if earlier.superseded is None or earlier.superseded > later.effective:
            raise ValueError(
                f"{where}: version of {earlier.effective} overlaps the one of {later.effective} "
                "(give it superseded: <the later effective date>)"
            )


@cache
def _strict_loader() -> type[yaml.SafeLoader]:
    """A SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the last one); libyaml's
    parser when PyYAML has it (several times faster), else the pure-Python one."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[valid-type,misc]
        pass

    def mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    def timestamp(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
        # PyYAML raises a bare ValueError (no line) for a well-formed but impossible date like 2020-13-01.
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"bad date {node.value!r}: {error}", node.start_mark
            ) from None

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return StrictLoader


L = TypeVar("L")


def load_packaged(name: str, loader: Callable[[Path, str], L], *, keep: bool = False) -> L:
    """Load the packaged rule file ``data/<name>`` with ``loader`` (which validates it, naming the file).

    ``keep``: the result may be kept compiled (``earcheck.compiled``) when the face allows it, keyed
    by the file's text and by the code of this module and the loader's (which define its classes).
    Only for a loader whose result is plain data (frozen dataclasses, tuples, dates, enums)."""
    resource = resources.files("earcheck.regulations") / "data" / name
    text = resource.read_text(encoding="utf-8")
    if not keep:
        return loader(Path(str(resource)), text)
    return compiled(
        f"rules-{name}", (text.encode(),), (__name__, loader.__module__), lambda: loader(Path(str(resource)), text)
    )


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse one YAML document strictly; errors name the file and line."""
    import yaml

    try:
        return yaml.load(path.read_text(encoding="utf-8") if text is None else text, Loader=_strict_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SourceFormatError(path, str(error.problem or error), line=line) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SourceFormatError(path, str(error)) from None


def parse_file(path: Path, kind: type[T], text: str | None = None) -> T:
    """Load ``path`` and validate it into ``kind`` (a strict dataclass); errors name file and field."""
    from pydantic import TypeAdapter, ValidationError

    data = load_yaml(path, text)
    try:
        return TypeAdapter(kind).validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SourceFormatError(
            path, f"{first['msg']} ({error.error_count()} problem(s))", field=field or None
        ) from None
