"""Autogenerate an Alembic migration against a throw-away embedded PostgreSQL.

Usage: python scripts/new_migration.py "message" REV_ID
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from anime_studio.db import server
from anime_studio.db.migrate import alembic_config, upgrade
from anime_studio.db.server import stop_embedded


def main() -> None:
    message, rev_id = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="as-migrate-") as tmp:
        Path(tmp).chmod(0o755)  # the embedded server runs as its own user
        host = server.start_embedded(Path(tmp) / "pgdata")
        try:
            server.create_database(host, "autogen")
            url = server.embedded_url(host, "autogen")
            upgrade(url)
            command.revision(alembic_config(url), message=message, autogenerate=True, rev_id=rev_id)
        finally:
            stop_embedded(Path(tmp) / "pgdata")


if __name__ == "__main__":
    main()
