"""Glyph clean-up for PDF text: ligatures spelled out, private-use glyphs mapped or dropped.

Fonts map some glyphs to code points that no reader of the text wants: the ligatures "ﬁ", "ﬀ"
(U+FB00-U+FB06) hide the words "misfits" and "differently" from search, and symbol fonts put
bullets, flags and bracket pieces in the private-use areas (U+E000-U+F8FF and planes 15-16).
Bullets from the Symbol and Wingdings fonts (and the glyph name "/Bullet" that pypdf writes for
an unmapped one) become "•"; every other private-use glyph, and the replacement character that
an undecodable font leaves, is dropped.
"""

from __future__ import annotations

import re
import unicodedata

BULLET = "\u2022"
# Symbol-font bullet, Wingdings bullets (square, arrowhead, diamond, tick, disc, box).
_PRIVATE_BULLETS = frozenset("\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06c\uf06e\uf0a8")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd\ufffd]")
# A glyph that a font maps to a control character (a minus sign in TeX's math fonts, often)
# stands between characters: a space keeps them apart.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_BULLET_GLUED = re.compile(rf"^(\s*{BULLET})(?=\S)")
# pypdf writes the glyph name of a Type 3 font's glyph that maps to no character.
_BULLET_NAME = re.compile(r"/bullet\b", re.I)


def clean_glyphs(text: str) -> str:
    """Spell out ligatures, turn private-use bullets into "•" and drop other unusable glyphs."""
    if _LIGATURES.search(text):
        text = _LIGATURES.sub(lambda match: unicodedata.normalize("NFKC", match.group(0)), text)
    if _PRIVATE_USE.search(text):
        text = _PRIVATE_USE.sub(_private, text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if "/" in text:
        text = _BULLET_NAME.sub(BULLET, text)
    return text


def _private(match: re.Match) -> str:
    return BULLET if match.group(0) in _PRIVATE_BULLETS else ""


def space_after_bullet(line: str) -> str:
    """Put a space between a leading bullet and the item's text ("•Item" -> "• Item")."""
    return _BULLET_GLUED.sub(r"\1 ", line)
