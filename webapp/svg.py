"""A small server-side SVG of a concept's neighbourhood (no JavaScript, no external library).

Labels are wrapped onto up to three lines and kept inside the drawing (never cut off at its
edge): a label's centre moves inwards as far as its widest line needs.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 440  # room below the lowest node for a three-line label
RADIUS = 150
MAX_NEIGHBOURS = 14
LINE_CHARS = 24  # characters per label line
MAX_LINES = 3
CHAR_WIDTH = 7.0  # a generous average width of a 12px character, in drawing units
MARGIN = 6


@dataclass(frozen=True)
class Node:
    """A neighbour placed on the drawing: where, what, and how it relates to the centre."""

    concept_id: str
    label: str
    relation: str  # "broader", "narrower" or "related"
    x: float
    y: float
    lines: list[str] = field(default_factory=list)  # the label, wrapped
    label_x: float = 0.0  # the label's centre, moved inwards so it fits the drawing


def layout(neighbours: list[tuple[str, str, str]]) -> list[Node]:
    """Place (id, label, relation) neighbours on a circle: broader on top, narrower below."""
    order = {"broader": 0, "related": 1, "narrower": 2}
    chosen = sorted(neighbours, key=lambda n: (order[n[2]], n[1].casefold()))[:MAX_NEIGHBOURS]
    nodes = []
    for index, (concept_id, label, relation) in enumerate(chosen):
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(chosen))
        x = WIDTH / 2 + RADIUS * 1.6 * math.cos(angle)
        lines = label_lines(label)
        nodes.append(
            Node(
                concept_id,
                label,
                relation,
                x,
                HEIGHT / 2 + RADIUS * math.sin(angle),
                lines,
                fit_inside(x, lines),
            )
        )
    return nodes


def label_lines(label: str, width: int = LINE_CHARS, most: int = MAX_LINES) -> list[str]:
    """A label wrapped at word boundaries; only a label longer than `most` lines is shortened."""
    lines = textwrap.wrap(label, width, break_long_words=True, break_on_hyphens=False) or [label]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = short(lines[-1], width)
        if not lines[-1].endswith("\u2026"):
            lines[-1] = lines[-1][: width - 1] + "\u2026"
    return lines


def fit_inside(x: float, lines: list[str]) -> float:
    """The centre for a label of these lines near `x` that keeps every line inside the drawing."""
    half = max(len(line) for line in lines) * CHAR_WIDTH / 2 + MARGIN
    return min(max(x, half), WIDTH - half)


def short(label: str, limit: int = 28) -> str:
    """A label cut to fit a node."""
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"
