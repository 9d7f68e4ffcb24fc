"""Where earcheck keeps its state, read once from the environment.

This is the only module that reads environment variables. The core never does: faces build a
``Settings`` and pass what is needed down.

- ``EARCHECK_HOME``: state folder (database, screening index, downloads). Default: the per-user
  data folder (``~/.local/share/earcheck`` on Linux).
- ``EARCHECK_DATABASE_URL``: SQLAlchemy URL of a shared database (PostgreSQL). Default: SQLite
  file ``earcheck.db`` in the home folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home = Path(env.get("EARCHECK_HOME") or platformdirs.user_data_dir("earcheck")).expanduser()
        url = env.get("EARCHECK_DATABASE_URL") or f"sqlite:///{home / 'earcheck.db'}"
        return cls(home=home, database_url=url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home
