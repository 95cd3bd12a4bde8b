"""Publish studio events the way another studio process (a worker) does: NOTIFY on the event bridge channel.

Usage: python publish_events.py DATA_DIR '[["run.progress", {"run_id": 1, "progress": 0.5}], ...]'
Browser tests use it to drive the live job tray through the real bridge → bus → SSE path.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import psycopg

from anime_studio.config import Settings
from anime_studio.db.server import database_url, libpq_url
from anime_studio.events.bridge import CHANNEL
from anime_studio.events.bus import Event


def main() -> None:
    data_dir, raw = Path(sys.argv[1]), sys.argv[2]
    events = [Event(name=name, data=data) for name, data in json.loads(raw)]
    url = libpq_url(database_url(Settings(data_dir=data_dir)))
    with psycopg.connect(url, autocommit=True) as conn:
        for event in events:
            payload = json.dumps({"origin": "e2e-publisher", "event": event.to_json()})
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


if __name__ == "__main__":
    main()
