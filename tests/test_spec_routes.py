"""Every endpoint the specification names exists at its path with its method."""

from __future__ import annotations

import pytest

from tests.test_route_permissions import ROUTES

SPEC_ROUTES = [
    # story & projects (the original's 15 story routes, characters addressed by id)
    ("GET", "/api/lora/characters"),
    ("POST", "/api/lora/characters"),
    ("PATCH", "/api/lora/characters/{character_id}"),
    ("POST", "/api/lora/characters/narrate-appearance"),
    ("GET", "/api/lora/characters/{character_id}/appearance"),
    ("PUT", "/api/lora/characters/{character_id}/appearance"),
    ("GET", "/api/lora/projects"),
    ("GET", "/api/lora/checkpoints"),
    ("GET", "/api/lora/projects/{project_id}"),
    ("POST", "/api/lora/projects"),
    ("PUT", "/api/lora/projects/{project_id}"),
    ("PUT", "/api/lora/projects/{project_id}/storyline"),
    ("PUT", "/api/lora/projects/{project_id}/style"),
    ("GET", "/api/lora/projects/{project_id}/world"),
    ("PUT", "/api/lora/projects/{project_id}/world"),
    ("GET", "/api/lora/characters/{character_id}/prompt"),
    # scenes (the original's 21 scene routes)
    ("GET", "/api/lora/scenes"),
    ("POST", "/api/lora/scenes"),
    ("POST", "/api/lora/scenes/generate-from-story"),
    ("GET", "/api/lora/scenes/motion-presets"),
    ("GET", "/api/lora/scenes/{scene_id}"),
    ("PATCH", "/api/lora/scenes/{scene_id}"),
    ("DELETE", "/api/lora/scenes/{scene_id}"),
    ("POST", "/api/lora/scenes/{scene_id}/shots"),
    ("PATCH", "/api/lora/scenes/{scene_id}/shots/{shot_id}"),
    ("DELETE", "/api/lora/scenes/{scene_id}/shots/{shot_id}"),
    ("POST", "/api/lora/scenes/{scene_id}/audio"),
    ("DELETE", "/api/lora/scenes/{scene_id}/audio"),
    ("POST", "/api/lora/scenes/{scene_id}/generate-music"),
    ("POST", "/api/lora/scenes/{scene_id}/attach-music"),
    ("POST", "/api/lora/scenes/{scene_id}/generate"),
    ("GET", "/api/lora/scenes/{scene_id}/status"),
    ("POST", "/api/lora/scenes/{scene_id}/shots/{shot_id}/regenerate"),
    ("POST", "/api/lora/scenes/{scene_id}/assemble"),
    ("GET", "/api/lora/scenes/{scene_id}/video"),
    ("GET", "/api/lora/scenes/{scene_id}/shots/{shot_id}/video"),
    ("GET", "/api/lora/scenes/{scene_id}/approved-images"),
    ("PUT", "/api/lora/scenes/{scene_id}/reorder"),
    # episodes (spec "Episode Endpoints")
    ("GET", "/api/lora/episodes"),
    ("POST", "/api/lora/episodes"),
    ("GET", "/api/lora/episodes/{episode_id}"),
    ("PATCH", "/api/lora/episodes/{episode_id}"),
    ("DELETE", "/api/lora/episodes/{episode_id}"),
    ("POST", "/api/lora/episodes/{episode_id}/scenes"),
    ("POST", "/api/lora/episodes/{episode_id}/scenes/{scene_id}"),
    ("DELETE", "/api/lora/episodes/{episode_id}/scenes/{scene_id}"),
    ("PUT", "/api/lora/episodes/{episode_id}/reorder"),
    ("POST", "/api/lora/episodes/{episode_id}/assemble"),
    ("GET", "/api/lora/episodes/{episode_id}/video"),
    ("POST", "/api/lora/episodes/{episode_id}/publish"),
    # core
    ("GET", "/api/lora/health"),
    ("GET", "/api/lora/gpu/status"),
    ("GET", "/api/lora/quality/gates"),
    ("PUT", "/api/lora/quality/gates"),
    ("PUT", "/api/lora/quality/gates/{gate_name}"),
    ("GET", "/api/lora/events"),
    ("POST", "/api/lora/generate/{character_id}"),
    ("GET", "/api/lora/gallery"),
    ("POST", "/api/lora/approval/approve"),
    ("GET", "/api/lora/approval/pending"),
    ("GET", "/api/lora/characters/{character_id}/reference-images"),
    ("POST", "/api/lora/characters/{character_id}/reference-images"),
    ("DELETE", "/api/lora/characters/{character_id}/reference-images/{name}"),
    # autonomy: the replenishment loop
    ("GET", "/api/lora/replenishment/status"),
    ("POST", "/api/lora/replenishment/toggle"),
    ("POST", "/api/lora/replenishment/target"),
    ("GET", "/api/lora/replenishment/readiness"),
]

ROUTED = {(method, path) for method, path, _ in ROUTES}


@pytest.mark.parametrize(("method", "path"), SPEC_ROUTES)
def test_spec_route_exists(method: str, path: str) -> None:
    assert (method, path) in ROUTED
