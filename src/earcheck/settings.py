"""Where earcheck keeps its state, read once from the environment.

This is the only module that reads environment variables. The core never does: faces build a
``Settings`` and pass what is needed down.

- ``EARCHECK_HOME``: state folder (database, screening index, downloads). Default: the per-user
  data folder (``~/.local/share/earcheck`` on Linux).
- ``EARCHECK_DATABASE_URL``: SQLAlchemy URL of a shared database (PostgreSQL). Default: SQLite
  file ``earcheck.db`` in the home folder.
- ``EARCHECK_ONE_PERSON_DECISIONS``: ``1`` lets the key that drafted or submitted a licence application
  also record BIS's decision on it, for a company with one compliance officer. Default: off, so two
  people are needed; every decision taken under the setting says so in the audit log.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str
    one_person_decisions: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home_text = env.get("EARCHECK_HOME")
        if not home_text:
            import platformdirs  # only when no home is given (one less import for every command)

            home_text = platformdirs.user_data_dir("earcheck")
        home = Path(home_text).expanduser()
        url = env.get("EARCHECK_DATABASE_URL") or f"sqlite:///{home / 'earcheck.db'}"
        one_person = env.get("EARCHECK_ONE_PERSON_DECISIONS", "").strip().lower() in {"1", "true", "yes", "on"}
        return cls(home=home, database_url=url, one_person_decisions=one_person)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home
