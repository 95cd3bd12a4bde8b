"""Check a workflow against a backend's ``/object_info`` before submitting it.

Missing node classes name the node pack to install; missing model files name the ``models/`` folder
to put them in; combo values the backend does not offer name the allowed ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from anime_studio.engines.base import EngineError, MissingRequirement
from anime_studio.engines.comfyui.catalog import INPUT_FOLDER_INPUTS, MODEL_FOLDERS, NodeSchemas, pack_for

CLIP_VISION_VIT_H = "CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors"
_CLIP_VISION_PATTERN = re.compile(r"ViT.H.14.*s32B.b79K|ipadapter.*sd15|sd1.?5.*model\.(bin|safetensors)", re.I)


@dataclass
class RequirementReport:
    """What a backend lacks for one workflow."""

    url: str = ""
    missing_nodes: dict[str, list[str]] = field(default_factory=dict)
    missing_models: list[str] = field(default_factory=list)
    bad_values: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing_nodes or self.missing_models or self.bad_values)

    def missing(self) -> list[str]:
        """Human-readable things to install, one per entry."""
        packs = [
            f"{pack.name} for {', '.join(sorted(set(classes)))} ({pack.install})"
            for pack, classes in ((pack_for(classes[0]), classes) for classes in self.missing_nodes.values())
        ]
        return packs + self.missing_models

    def raise_if_missing(self) -> None:
        """``MissingRequirement`` for packs/models, ``EngineError`` for values the backend does not offer."""
        where = f"ComfyUI at {self.url}" if self.url else "ComfyUI"
        if self.missing_nodes or self.missing_models:
            raise MissingRequirement(f"{where} lacks what this workflow needs", self.missing())
        if self.bad_values:
            raise EngineError(f"{where} does not accept: " + "; ".join(self.bad_values))


def check_workflow(
    workflow: dict[str, Any], schemas: NodeSchemas, *, uploads: Iterable[str] = (), url: str = ""
) -> RequirementReport:
    """Compare every node and literal combo value with the backend's schemas; ``uploads`` are inputs we send."""
    report = RequirementReport(url=url)
    uploaded = set(uploads)
    for node_id, node in workflow.items():
        class_type = str(node.get("class_type", "")) if isinstance(node, dict) else ""
        if not schemas.has(class_type):
            report.missing_nodes.setdefault(pack_for(class_type).name, []).append(class_type)
            continue
        for name, value in (node.get("inputs") or {}).items():
            _check_value(report, schemas, str(node_id), class_type, name, value, uploaded)
        if class_type == "IPAdapterUnifiedLoader":
            report.missing_models += ipadapter_files_missing(schemas, str(node.get("inputs", {}).get("preset", "")))
    return report


def require(workflow: dict[str, Any], schemas: NodeSchemas, *, uploads: Iterable[str] = (), url: str = "") -> None:
    """Raise unless the backend can run ``workflow`` (see ``check_workflow``)."""
    check_workflow(workflow, schemas, uploads=uploads, url=url).raise_if_missing()


def _check_value(
    report: RequirementReport,
    schemas: NodeSchemas,
    node_id: str,
    class_type: str,
    name: str,
    value: Any,
    uploaded: set[str],
) -> None:
    if isinstance(value, list):
        return  # a link; the server validates its type
    options = schemas.combo_options(class_type, name)
    if options is None or value in options:
        return
    where = f"node {node_id} {class_type}.{name}"
    folder = MODEL_FOLDERS.get((class_type, name))
    if folder is not None:
        report.missing_models.append(f"models/{folder}/{value} ({where})")
    elif (class_type, name) in INPUT_FOLDER_INPUTS:
        if value not in uploaded:
            report.bad_values.append(f"{where}: input image {value!r} is not in ComfyUI's input/ folder")
    else:
        shown = ", ".join(map(repr, options[:12])) + (", …" if len(options) > 12 else "")
        report.bad_values.append(f"{where}: {value!r} is not one of {shown}")


IPADAPTER_PATTERNS: dict[str, dict[str, tuple[str, str]]] = {
    # preset prefix → family → (file-name pattern, the usual file name to download)
    "plus (": {
        "sd15": (r"ip.adapter.plus.sd15\.(safetensors|bin)$", "ip-adapter-plus_sd15.safetensors"),
        "sdxl": (r"plus.sdxl.vit.h\.(safetensors|bin)$", "ip-adapter-plus_sdxl_vit-h.safetensors"),
    },
    "standard": {
        "sd15": (r"ip.adapter.sd15\.(safetensors|bin)$", "ip-adapter_sd15.safetensors"),
        "sdxl": (r"ip.adapter.sdxl.vit.h\.(safetensors|bin)$", "ip-adapter_sdxl_vit-h.safetensors"),
    },
    "plus face": {
        "sd15": (r"plus.face.sd15\.(safetensors|bin)$", "ip-adapter-plus-face_sd15.safetensors"),
        "sdxl": (r"plus.face.sdxl.vit.h\.(safetensors|bin)$", "ip-adapter-plus-face_sdxl_vit-h.safetensors"),
    },
}


def ipadapter_files_missing(schemas: NodeSchemas, preset: str, family: str | None = None) -> list[str]:
    """The IP-Adapter unified loader finds its files by pattern at run time; check them up front.

    ``family`` (sd15/sdxl) narrows the check; without it either family's file will do.
    """
    missing = []
    if not any(_CLIP_VISION_PATTERN.search(name) for name in schemas.files("CLIPVisionLoader", "clip_name")):
        missing.append(f"models/clip_vision/{CLIP_VISION_VIT_H} (IP-Adapter image encoder)")
    rules = next((v for k, v in IPADAPTER_PATTERNS.items() if preset.lower().startswith(k)), None)
    if rules is None:
        return missing
    wanted = {family: rules[family]} if family in rules else rules
    files = schemas.files("IPAdapterModelLoader", "ipadapter_file")
    if not any(re.search(pattern, name, re.I) for pattern, _ in wanted.values() for name in files):
        names = " or ".join(f"models/ipadapter/{example}" for _, example in wanted.values())
        missing.append(f"{names} (IP-Adapter {preset})")
    return missing
