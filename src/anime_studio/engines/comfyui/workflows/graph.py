"""A tiny builder for API-format workflows with deterministic node ids ("1", "2", … in build order)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

Link = list[Any]
"""``[node_id, output_index]``: how an API-format input points at another node's output."""


@dataclass(frozen=True)
class Node:
    """A node added to a ``Graph``; ``node[i]`` is the link to its output ``i``."""

    id: str

    def __getitem__(self, index: int) -> Link:
        return [self.id, index]


class Graph:
    """Collects nodes; ``to_workflow()`` gives the dict ``POST /prompt`` expects."""

    def __init__(self) -> None:
        self._nodes: dict[str, dict[str, Any]] = {}

    def add(self, class_type: str, title: str | None = None, /, **inputs: Any) -> Node:
        """Append a node with literal values and links; returns its handle."""
        node_id = str(len(self._nodes) + 1)
        entry: dict[str, Any] = {"class_type": class_type, "inputs": inputs}
        if title:
            entry["_meta"] = {"title": title}
        self._nodes[node_id] = entry
        return Node(node_id)

    def to_workflow(self) -> dict[str, Any]:
        return copy.deepcopy(self._nodes)
