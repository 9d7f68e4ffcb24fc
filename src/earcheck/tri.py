"""The three-valued answer, in a module of its own so that the list and screening code can name it
without importing the case model (and pydantic with it): ``earcheck screen`` starts faster."""

from __future__ import annotations

__all__ = ["Tri"]

Tri = bool | None
"""Three-valued answer: ``True``, ``False`` or ``None`` (not determinable from the facts given)."""
