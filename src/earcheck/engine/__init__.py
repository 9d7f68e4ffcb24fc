"""The determination engine: the Part 732 procedure as pure functions over a ``Context``."""

from __future__ import annotations

from earcheck.engine.context import Context, RuleBook
from earcheck.engine.determine import determine

__all__ = ["Context", "RuleBook", "determine"]
