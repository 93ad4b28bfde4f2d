"""Advance widths of the characters of a PDF font, to measure where a run of text ends.

pypdf reports each run of text with its starting point only. Where the run ends comes from the
font's glyph widths (/Widths, or /W of a composite font), mapped from character codes to the
Unicode text pypdf gives: the gap to the next run then says whether a word space separates
them. pypdf parses the font dictionary (its `Font` class); a font it cannot parse falls back to
half an em per character, which is good enough to find table cells but not word spaces.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

ESTIMATED_WIDTH = 500.0  # thousandths of an em: a fair average glyph width


@dataclass(frozen=True)
class FontWidths:
    """Glyph widths by character, in thousandths of the font size."""

    widths: dict[str, float]
    space: float
    known: bool  # False when the font could not be read and every width is an estimate

    def measure(self, text: str) -> tuple[float, bool]:
        """The advance width of `text` and whether every character's width was known.

        A space is known only when the font has a space glyph: without one (TeX fonts) pypdf
        put the space where it saw a gap, of a width nobody knows.
        """
        total, exact = 0.0, self.known
        for character in text:
            if character.isspace():
                total += self.space
                exact = exact and " " in self.widths
                continue
            width = self.widths.get(character)
            if width is None:
                width, exact = ESTIMATED_WIDTH, False
            total += width
        return total, exact


_ESTIMATE = FontWidths({}, ESTIMATED_WIDTH / 2, known=False)


def font_widths(font_dict: Any) -> FontWidths:
    """The widths of the font described by a PDF font resource dictionary."""
    try:
        font = _pypdf_font_class().from_font_resource(font_dict)
    except Exception:  # pypdf raises assorted errors on damaged fonts; widths are optional
        return _ESTIMATE
    encoding, character_map = font.encoding, font.character_map
    widths: dict[str, float] = {}
    for code, width in font.character_widths.items():
        if code == "default" or not width:
            continue
        character = encoding.get(ord(code), code) if isinstance(encoding, dict) else code
        widths.setdefault(str(character_map.get(character, character)), float(width))
    if not widths:
        return _ESTIMATE
    space = widths.get(" ") or float(font.space_width) or ESTIMATED_WIDTH / 2
    return FontWidths(widths, space, known=True)


def _pypdf_font_class() -> Any:
    # A module of pypdf's own (pypdf >= 6); an older pypdf gives estimates.
    return importlib.import_module("pypdf.generic._font").Font
