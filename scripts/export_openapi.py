"""Print the API's OpenAPI schema as JSON (the input of the frontend's generated client).

Building the schema only walks the routes: no database, no data directory, no network.
Usage: python scripts/export_openapi.py > openapi.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from anime_studio.app import create_app
from anime_studio.config import Settings


def schema() -> dict[str, object]:
    """The OpenAPI document of ``create_app()`` with settings that touch nothing on disk."""
    with tempfile.TemporaryDirectory(prefix="as-openapi-") as tmp:
        # Explicit settings keep a developer's .env or ANIME_STUDIO_ROOT_PATH out of the schema.
        settings = Settings(data_dir=Path(tmp), root_path="", ui_dir=None, _env_file=None)
        return create_app(settings).openapi()


def main() -> None:
    json.dump(schema(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
