"""earcheck: the US Export Administration Regulations (15 CFR 730-774) as software."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
