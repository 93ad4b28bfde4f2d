"""A small server-side SVG of a concept's neighbourhood (no JavaScript, no external library)."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 400
RADIUS = 150
MAX_NEIGHBOURS = 14


@dataclass(frozen=True)
class Node:
    """A neighbour placed on the drawing: where, what, and how it relates to the centre."""

    concept_id: str
    label: str
    relation: str  # "broader", "narrower" or "related"
    x: float
    y: float


def layout(neighbours: list[tuple[str, str, str]]) -> list[Node]:
    """Place (id, label, relation) neighbours on a circle: broader on top, narrower below."""
    order = {"broader": 0, "related": 1, "narrower": 2}
    chosen = sorted(neighbours, key=lambda n: (order[n[2]], n[1].casefold()))[:MAX_NEIGHBOURS]
    nodes = []
    for index, (concept_id, label, relation) in enumerate(chosen):
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(chosen))
        nodes.append(
            Node(
                concept_id,
                label,
                relation,
                WIDTH / 2 + RADIUS * 1.6 * math.cos(angle),
                HEIGHT / 2 + RADIUS * math.sin(angle),
            )
        )
    return nodes


def short(label: str, limit: int = 28) -> str:
    """A label cut to fit a node."""
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"
