"""Fixtures of the database-lifecycle tests: a migrated data dir that each test copies."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.db.processes import REPO, data_dir, postmasters


@pytest.fixture(scope="session")
def template() -> Iterator[Path]:
    """A migrated data dir, copied by each test (initdb and migrations once, not per test)."""
    with data_dir() as folder:
        env = {"ANIME_STUDIO_DATA_DIR": str(folder), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-m", "anime_studio", "db", "upgrade"], env=env, cwd=REPO, check=True)
        assert postmasters(folder / "pgdata") == []  # a one-shot command stops what it started
        yield folder
