"""Where an asset's file and thumbnail are served, for every view that lists assets."""

from __future__ import annotations

import hashlib

from anime_studio.assets.models import Asset


def asset_urls(root_path: str, asset: Asset) -> dict[str, str]:
    """File and thumbnail URLs carrying the asset's version: a regenerated file (same path, same id) gets new
    URLs, so no browser shows the old picture from its cache."""
    base = f"{root_path}/api/lora/assets/{asset.id}"
    stamp = f"{asset.updated_at.isoformat() if asset.updated_at else ''}:{asset.size_bytes}:{asset.run_id}"
    version = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    return {"file_url": f"{base}/file?v={version}", "thumbnail_url": f"{base}/thumbnail?v={version}"}
